import { describe, expect, it } from "vitest";
import { fake } from "./fixtures/fake.ts";
import { maskSecrets, maskSecretsSync } from "./mask.ts";

const REDACTED = { show: () => "<redacted>" };

/** Text that makes a regular expression with unbounded nested repeats take quadratic time or worse. */
const PATHOLOGICAL = ["a.", "a-", "1.", "a:1 ", "A$", "a@a.", '"a', "'a ", "fe80:", "password=", "Bearer a1", "eyJaaaaa."];

describe("maskSecrets", () => {
  it.each([
    ["The staging database password is Winter2024!x", "Winter2024!x"],
    ["api_key=4f9d8c7b6a5e4d3c2b1a", "4f9d8c7b6a5e4d3c2b1a"],
    ["CI uses AKIAIOSFODNN7EXAMPLE for uploads", "AKIAIOSFODNN7EXAMPLE"],
    ["token: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"],
    ["Stripe key sk_live_51HxYzAbCdEfGhIjKlMn in .env", "sk_live_51HxYzAbCdEfGhIjKlMn"],
    ["Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature"],
    ["redis://default:p4ss@cache:6379", "p4ss"],
    [`deploy with ghp_${fake(1, 36)} today`, `ghp_${fake(1, 36)}`],
  ])("shows no more than the start of %s", async (text, secret) => {
    for (const masked of [await maskSecrets(text), maskSecretsSync(text)]) {
      expect(masked).not.toContain(secret.slice(0, 5));
      expect(masked).toContain(`${secret.slice(0, Math.min(4, Math.floor(secret.length / 3)))}…`);
    }
  });

  it("masks pairs and what secretlint finds, keeping a few characters of long secrets", async () => {
    const key = `SG.${fake(2, 22)}.${fake(3, 43)}`;
    const [first, second] = await maskSecrets([`send with ${key} today`, "password: hunter2, user: ada"]);
    expect(first).toBe("send with SG.x… today".replace("x", key[3]!));
    expect(second).toBe("password: hu…, user: ada");
    // Without secretlint, only the own rules and the masking rules apply.
    expect(maskSecretsSync(`send with ${key} today`)).toBe(`send with ${key} today`);
  });

  it("masks a private key's body, keeping its lines", async () => {
    const text = "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nend";
    expect(await maskSecrets(text)).toBe("key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIE…\n-----END RSA PRIVATE KEY-----\nend");
    expect(maskSecretsSync("key:\n-----BEGIN PRIVATE KEY-----\nMIIEowIBAAKCAQEA")).toBe("key:\n-----BEGIN PRIVATE KEY-----\nMIIE…");
  });

  it("leaves prose about passwords and ordinary text alone", async () => {
    const text = "Password policy: minimum 12 characters.\nThe password is rotated yearly; token: expires hourly.\nPasswords: 12 characters.";
    expect(await maskSecrets(text)).toBe(text);
    expect(maskSecretsSync("ERROR connection refused by db-1")).toBe("ERROR connection refused by db-1");
  });

  it("keeps each text's own bounds when texts are scanned together", async () => {
    const key = `sk_live_${fake(5, 30)}`;
    const texts = ["first\nline", `stripe ${key}`, "", "last: plain"];
    expect(await maskSecrets(texts)).toEqual(["first\nline", "stripe sk_l…", "", "last: plain"]);
  });

  it.each([
    ["password=hunter2 next", "password=<redacted> next"],
    ['{"api_key":"sk_live_abc123"}', '{"api_key":"<redacted>"}'],
    ["Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature", "Authorization: Bearer <redacted>"],
    ["token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl in url", "token <redacted> in url"],
    ["redis://default:p4ss@cache:6379", "redis://default:<redacted>@cache:6379"],
    ["client_secret: abc", "client_secret: <redacted>"],
  ])("shows a secret as it is told to, with or without secretlint: %s", async (text, expected) => {
    expect(maskSecretsSync(text, REDACTED)).toBe(expected);
    expect(await maskSecrets(text, REDACTED)).toBe(expected);
  });

  it.each(PATHOLOGICAL)("stays fast on 100 KB of %j", async (unit) => {
    const text = unit.repeat((100 * 1024) / unit.length);
    let started = performance.now();
    maskSecretsSync(text);
    expect(performance.now() - started).toBeLessThan(2000);
    started = performance.now();
    await maskSecrets(text);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
