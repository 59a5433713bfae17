import { describe, expect, it } from "vitest";
import { LOCALES } from "../locale.ts";
import { fill, STRINGS } from "./strings.ts";

describe("STRINGS", () => {
  it("has every string in every language, with the same placeholders", () => {
    const keys = Object.keys(STRINGS.en);
    const holes = (s: string) => (s.match(/\{\d\}/g) ?? []).sort().join();
    for (const locale of LOCALES) {
      const table = STRINGS[locale] as Record<string, string>;
      expect(Object.keys(table), locale).toEqual(keys);
      for (const key of keys) {
        expect(table[key]!.trim(), `${locale}.${key}`).not.toBe("");
        expect(holes(table[key]!), `${locale}.${key}`).toBe(holes((STRINGS.en as Record<string, string>)[key]!));
      }
    }
  });

  it("fills placeholders with text", () => {
    expect(fill(STRINGS.en.freeRuns, 2, 3)).toBe("2 of 3 free runs left");
    expect(fill("{0}<b>{1}</b>", "<i>", 1)).toBe("<i><b>1</b>");
  });
});
