import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.server.ts";

describe("parseEnv", () => {
  it("applies defaults when nothing is set", () => {
    expect(parseEnv({})).toEqual({ PLATFORM_URL: "http://localhost:3000", ADMIN_PORT: 3001, NODE_ENV: "development" });
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ PLATFORM_URL: "", ADMIN_PORT: "", PORTAL_URL: "" })).toEqual({
      PLATFORM_URL: "http://localhost:3000",
      ADMIN_PORT: 3001,
      NODE_ENV: "development",
    });
  });

  it("accepts explicit values and strips a trailing slash", () => {
    expect(parseEnv({ PLATFORM_URL: "https://api.example.com/", ADMIN_PORT: "8080", PORTAL_URL: "https://app.example.com/", NODE_ENV: "production" })).toEqual({
      PLATFORM_URL: "https://api.example.com",
      PORTAL_URL: "https://app.example.com",
      ADMIN_PORT: 8080,
      NODE_ENV: "production",
    });
  });

  it("names the variable and the problem for a bad PLATFORM_URL", () => {
    let error: unknown;
    try {
      parseEnv({ PLATFORM_URL: "not a url" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as Error).message;
    expect(message).toContain("Invalid admin configuration");
    expect(message).toContain("PLATFORM_URL");
    expect(message).toContain("http(s) URL");
    // Readable text, not a JSON dump of zod issues.
    expect(message).not.toContain('"code"');
  });

  it("rejects non-http protocols and an out-of-range port", () => {
    expect(() => parseEnv({ PLATFORM_URL: "ftp://example.com" })).toThrow(/PLATFORM_URL/);
    expect(() => parseEnv({ ADMIN_PORT: "70000" })).toThrow(/ADMIN_PORT/);
    expect(() => parseEnv({ ADMIN_PORT: "abc" })).toThrow(/whole number from 1 to 65535/);
  });
});
