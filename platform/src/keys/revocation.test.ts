import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, rest, signUpAccount, trpcMutation, type TestAccount } from "@bizbot/testing";
import { needsServices, startTestApp } from "../../test/harness.ts";
import type { App } from "../main.ts";
import type { CreatedKey } from "./service.ts";

// Two platform instances, each with its own Postgres pool, Redis connections and key cache, as behind a load
// balancer. Embedded mode has one process by design, so this needs the real services.
describe.runIf(needsServices("cross-instance key revocation"))("key revocation across instances", () => {
  let a: App;
  let b: App;
  let account: TestAccount;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp();
    account = await signUpAccount(a.url);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("is honoured by the second instance within one second, though its cache holds the key", async () => {
    for (let round = 0; round < 3; round++) {
      const created = await trpcMutation<CreatedKey>(a.url, "keys.create", { input: { kind: "secret", mode: "live" }, headers: bearer(account.token) });
      const key = created.data!.key;
      // Instance B verifies the key and caches it.
      expect((await rest(b.url, "GET", "/v1/tenant", { headers: bearer(key) })).status).toBe(200);
      expect((await rest(b.url, "GET", "/v1/tenant", { headers: bearer(key) })).status).toBe(200);

      const revokedAt = Date.now();
      expect((await trpcMutation(a.url, "keys.revoke", { input: { id: created.data!.id }, headers: bearer(account.token) })).status).toBe(200);
      let status = 200;
      while (status === 200 && Date.now() - revokedAt < 2_000) {
        status = (await rest(b.url, "GET", "/v1/tenant", { headers: bearer(key) })).status;
        if (status === 200) await new Promise((r) => setTimeout(r, 10));
      }
      expect(status).toBe(401);
      expect(Date.now() - revokedAt).toBeLessThan(1_000);
    }
  });

  it("bypasses the cache while the bus is down, so no revocation can be missed", async () => {
    const created = await trpcMutation<CreatedKey>(a.url, "keys.create", { input: { kind: "secret", mode: "live" }, headers: bearer(account.token) });
    expect((await rest(b.url, "GET", "/v1/tenant", { headers: bearer(created.data!.key) })).status).toBe(200);
    // B's bus stops being live (as when its subscriber loses Redis); A revokes and its message is lost to B.
    const busB = b.deps.bus as { isLive: () => boolean };
    const original = busB.isLive;
    busB.isLive = () => false;
    try {
      await a.deps.db.updateTable("api_keys").set({ revoked_at: new Date() }).where("id", "=", created.data!.id).execute();
      expect((await rest(b.url, "GET", "/v1/tenant", { headers: bearer(created.data!.key) })).status).toBe(401);
    } finally {
      busB.isLive = original;
    }
  });
});
