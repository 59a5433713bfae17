import { describe, expect, it } from "vitest";
import { checkKey, readSettings, readTag, type ScriptLike } from "./settings.ts";

const script = (src: string, attrs: Record<string, string> = {}): ScriptLike => ({
  src,
  getAttribute: (name) => attrs[name] ?? null,
});

describe("readTag", () => {
  it("reads the key, the API address and the settings from data-* attributes", () => {
    const s = script("https://cdn.example/widget.js", {
      "data-key": " pk_live_abc ",
      "data-api": "https://api.example/",
      "data-position": "bottom-left",
      "data-locale": "fr-CA",
      "data-open": "",
    });
    expect(readTag(s, "https://shop.example")).toEqual({
      key: "pk_live_abc",
      apiBase: "https://api.example",
      settings: { position: "bottom-left", locale: "fr-CA", openOnLoad: true },
    });
  });

  it("defaults the API to the script's own origin, and to the page's without a script", () => {
    const s = script("https://bizbot.example:8443/widget.js?v=1", { "data-key": "pk_test_x" });
    expect(readTag(s, "https://shop.example")).toEqual({ key: "pk_test_x", apiBase: "https://bizbot.example:8443", settings: {} });
    expect(readTag(null, "https://shop.example")).toEqual({ key: undefined, apiBase: "https://shop.example", settings: {} });
  });
});

describe("readSettings", () => {
  it("keeps what is well-formed and drops the rest", () => {
    expect(readSettings({ position: "bottom-left", locale: "de", openOnLoad: true, hideLauncher: "true" })).toEqual({
      position: "bottom-left",
      locale: "de",
      openOnLoad: true,
      hideLauncher: true,
    });
    expect(readSettings({ position: "top-center", locale: 42, openOnLoad: "no", extra: 1 })).toEqual({ openOnLoad: false });
    for (const junk of [undefined, null, "bottom-left", 42, []]) expect(readSettings(junk)).toEqual({});
  });
});

describe("checkKey", () => {
  it("accepts publishable keys and refuses missing, secret or unknown keys", () => {
    expect(checkKey("pk_test_abc")).toBeUndefined();
    for (const bad of [undefined, "sk_live_abc", "abc"]) expect(checkKey(bad)).toMatch(/publishable key \(pk_…\), never a secret one/);
  });
});
