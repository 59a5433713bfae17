import { describe, expect, it } from "vitest";
import { isRtl, pickLocale } from "./locale.ts";

describe("pickLocale", () => {
  it("takes the setting, else the tenant's, else the page's language, else the browser's, else English", () => {
    expect(pickLocale(["de", "fr", "es", "en-US"])).toBe("de");
    expect(pickLocale([undefined, "fr", "es"])).toBe("fr");
    expect(pickLocale([undefined, "auto", "es-MX", "en"])).toBe("es");
    expect(pickLocale(["", "auto", "", "ar-EG"])).toBe("ar");
    expect(pickLocale([null, "auto", "pt-BR", "FR_ca"])).toBe("fr");
    expect(pickLocale(["zh", "ja"])).toBe("en");
    expect(pickLocale([])).toBe("en");
  });

  it("writes Arabic right to left", () => {
    expect(isRtl("ar")).toBe(true);
    expect(isRtl("fr")).toBe(false);
  });
});
