import { describe, expect, it } from "vitest";
import { maskSecrets } from "./secrets.ts";

describe("maskSecrets", () => {
  it.each([
    ["The staging database password is Winter2024!x", "Winter2024!x"],
    ["api_key=4f9d8c7b6a5e4d3c2b1a", "4f9d8c7b6a5e4d3c2b1a"],
    ["CI uses AKIAIOSFODNN7EXAMPLE for uploads", "AKIAIOSFODNN7EXAMPLE"],
    ["token: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"],
    ["Stripe key sk_live_51HxYzAbCdEfGhIjKlMn in .env", "sk_live_51HxYzAbCdEfGhIjKlMn"],
  ])("hides all but the start of %s", (text, secret) => {
    const masked = maskSecrets(text);
    expect(masked).not.toContain(secret);
    expect(masked).toContain("…[hidden]");
  });

  it("hides a private key whole", () => {
    const masked = maskSecrets("key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nend");
    expect(masked).toBe("key:\n[RSA private key hidden]\nend");
  });

  it("leaves prose about passwords alone", () => {
    const text = "Password policy: minimum 12 characters.\nThe password is rotated yearly; token: expires hourly.";
    expect(maskSecrets(text)).toBe(text);
  });
});
