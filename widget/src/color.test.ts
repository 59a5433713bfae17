import { describe, expect, it } from "vitest";
import { AA, brandOf, contrast, inkOn, luminance, mix, textOn } from "./color.ts";

describe("contrast", () => {
  it("matches WCAG's figures", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#ffffff", "#ffffff")).toBe(1);
    // WCAG's own example pair: #767676 on white is the lightest grey that passes AA.
    expect(contrast("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
    expect(luminance("#ffffff")).toBe(1);
  });
});

describe("textOn", () => {
  it("chooses white or black so that the text meets AA on any brand colour", () => {
    expect(textOn("#2563eb")).toBe("#ffffff");
    expect(textOn("#ffcc00")).toBe("#000000");
    expect(textOn("#ffffff")).toBe("#000000");
    expect(textOn("#000000")).toBe("#ffffff");
    // A sweep of the whole cube: whichever is chosen reaches 4.5:1.
    for (let r = 0; r < 256; r += 17) {
      for (let g = 0; g < 256; g += 17) {
        for (let b = 0; b < 256; b += 17) {
          const bg = `#${[r, g, b].map((c) => c.toString(16).padStart(2, "0")).join("")}`;
          expect(contrast(textOn(bg), bg)).toBeGreaterThanOrEqual(AA);
        }
      }
    }
  });
});

describe("inkOn", () => {
  it("shades the brand colour until it reads as text on the panel", () => {
    for (const brand of ["#ffcc00", "#2563eb", "#00ff00", "#111111", "#ffffff"]) {
      expect(contrast(inkOn(brand, "#ffffff"), "#ffffff")).toBeGreaterThanOrEqual(AA);
      expect(contrast(inkOn(brand, "#1f2023"), "#1f2023")).toBeGreaterThanOrEqual(AA);
    }
    expect(inkOn("#1d4ed8", "#ffffff")).toBe("#1d4ed8");
    expect(mix("#000000", "#ffffff", 0.5)).toBe("#808080");
  });
});

describe("brandOf", () => {
  it("lets only #rrggbb into a stylesheet", () => {
    expect(brandOf("#AABBCC")).toBe("#AABBCC");
    for (const bad of ["red", "#abc", "#aabbcc;}*{display:none", "url(x)", null, 42]) expect(brandOf(bad)).toBe("#2563eb");
  });
});
