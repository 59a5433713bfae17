import { describe, expect, it } from "vitest";
import type { DomainError } from "../errors.ts";
import { checkPublishableKey } from "./publishable.ts";
import type { KeyVerifier, VerifiedKey } from "./verifier.ts";

const key: VerifiedKey = { id: "key_1", tenantId: "ten_1", tenantName: "Shop", kind: "publishable", mode: "live", allowedOrigins: ["https://shop.example"] };
const verifier = { verify: async (presented: string) => (presented === "pk_live_ok" ? key : null) } as unknown as KeyVerifier;
const urls = { publicUrl: "https://api.bizbot.example", portalUrl: "https://app.bizbot.example" };
const reason = (promise: Promise<unknown>) =>
  promise.then(
    () => "allowed",
    (error: DomainError) => error.reason,
  );

describe("checkPublishableKey", () => {
  it("serves a key on its allowed origins and on the portal's, which previews every tenant's widget", async () => {
    expect(await reason(checkPublishableKey(verifier, "pk_live_ok", { origin: "https://shop.example", secFetchSite: "cross-site" }, urls))).toBe("allowed");
    expect(await reason(checkPublishableKey(verifier, "pk_live_ok", { origin: "https://app.bizbot.example", secFetchSite: "cross-site" }, urls))).toBe(
      "allowed",
    );
  });

  it("refuses other origins, look-alikes of the portal's, and the portal's without PORTAL_URL", async () => {
    for (const origin of ["https://evil.example", "https://app.bizbot.example.evil.example", "http://app.bizbot.example", "https://app.bizbot.example:8443"]) {
      expect(await reason(checkPublishableKey(verifier, "pk_live_ok", { origin, secFetchSite: "cross-site" }, urls)), origin).toBe("origin_not_allowed");
    }
    expect(
      await reason(
        checkPublishableKey(verifier, "pk_live_ok", { origin: "https://app.bizbot.example", secFetchSite: "cross-site" }, { publicUrl: urls.publicUrl }),
      ),
    ).toBe("origin_not_allowed");
    expect(await reason(checkPublishableKey(verifier, "pk_live_bad", { origin: "https://app.bizbot.example", secFetchSite: "cross-site" }, urls))).toBe(
      "invalid_api_key",
    );
  });
});
