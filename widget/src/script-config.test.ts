import { describe, expect, it } from "vitest";
import { checkKey, readScriptConfig, type ScriptLike } from "./script-config.ts";

const script = (src: string, attrs: Record<string, string> = {}): ScriptLike => ({
  src,
  getAttribute: (name) => attrs[name] ?? null,
});

describe("readScriptConfig", () => {
  it("reads data-key and data-api", () => {
    const s = script("https://cdn.example/widget.js", { "data-key": "pk_live_abc", "data-api": "https://api.example/" });
    expect(readScriptConfig(s, "https://shop.example")).toEqual({ key: "pk_live_abc", apiBase: "https://api.example" });
  });

  it("defaults the API to the script's own origin", () => {
    const s = script("https://bizbot.example:8443/widget.js?v=1", { "data-key": "pk_test_x" });
    expect(readScriptConfig(s, "https://shop.example").apiBase).toBe("https://bizbot.example:8443");
  });

  it("falls back to the page origin without a script", () => {
    expect(readScriptConfig(null, "https://shop.example")).toEqual({ key: undefined, apiBase: "https://shop.example" });
  });
});

describe("checkKey", () => {
  it("accepts publishable keys and refuses missing, secret or unknown keys", () => {
    expect(checkKey("pk_test_abc")).toBeUndefined();
    expect(checkKey(undefined)).toMatch(/no publishable key/);
    expect(checkKey("sk_live_abc")).toMatch(/secret key/);
    expect(checkKey("abc")).toMatch(/pk_/);
  });
});
