import { describe, expect, it } from "vitest";
import { agents, allowedOrigin, apiKeyPattern, creditPackages, CREDIT_PRICE_USD, tenantId } from "./index.ts";

describe("catalogue", () => {
  it("lists ten agents with unique ids", () => {
    expect(new Set(agents.map((a) => a.id)).size).toBe(10);
  });

  it("gives the larger packages their 20/40/60 % bonus over the unit price", () => {
    const bonus = creditPackages.map((p) => Math.round(((p.credits * CREDIT_PRICE_USD) / p.usd) * 100) - 100);
    expect(bonus).toEqual([0, 20, 40, 60]);
  });
});

describe("formats", () => {
  it("accepts exact and wildcard origins and refuses paths and other schemes", () => {
    for (const ok of ["https://shop.example.com", "http://localhost:3000", "https://*.example.com"]) {
      expect(allowedOrigin.safeParse(ok).success, ok).toBe(true);
    }
    for (const bad of ["https://example.com/", "https://example.com/x", "ftp://example.com", "*.example.com", "https://*"]) {
      expect(allowedOrigin.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("recognises key and id shapes", () => {
    expect(apiKeyPattern.test(`sk_live_${"a".repeat(39)}`)).toBe(true);
    expect(apiKeyPattern.test(`sk_prod_${"a".repeat(39)}`)).toBe(false);
    expect(tenantId.safeParse(`ten_${"a".repeat(26)}`).success).toBe(true);
    expect(tenantId.safeParse(`usr_${"a".repeat(26)}`).success).toBe(false);
  });
});
