import { describe, expect, it } from "vitest";
import { originAllowed } from "./origins.ts";

describe("originAllowed", () => {
  const allowed = ["https://shop.example.com", "http://localhost:3000", "https://*.tenant.io"];

  it("accepts exact origins, case-insensitively", () => {
    expect(originAllowed("https://shop.example.com", allowed)).toBe(true);
    expect(originAllowed("HTTPS://SHOP.EXAMPLE.COM", allowed)).toBe(true);
    expect(originAllowed("http://localhost:3000", allowed)).toBe(true);
  });

  it("accepts subdomains of a wildcard but not the bare domain", () => {
    expect(originAllowed("https://a.tenant.io", allowed)).toBe(true);
    expect(originAllowed("https://a.b.tenant.io", allowed)).toBe(true);
    expect(originAllowed("https://tenant.io", allowed)).toBe(false);
  });

  it("refuses look-alikes, other schemes, other ports and junk", () => {
    for (const origin of [
      "https://evil-tenant.io",
      "https://a.tenant.io.evil.com",
      "http://a.tenant.io",
      "https://a.tenant.io:8443",
      "http://localhost:3001",
      "https://shop.example.com.evil.com",
      "https://shop.example.com/path",
      "null",
      "",
      undefined,
    ]) {
      expect(originAllowed(origin, allowed), String(origin)).toBe(false);
    }
  });
});
