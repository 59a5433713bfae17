import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AA, contrast } from "../color.ts";
import { DARK_BUBBLE, LIGHT_BUBBLE, themeCss } from "./theme.ts";

const css = readFileSync(new URL("./panel.css", import.meta.url), "utf8");

/** A custom property's value in the first rule of panel.css that starts with `selector {`. */
function property(selector: string, name: string): string {
  const rule = css.slice(css.indexOf(`\n${selector} {`));
  const found = rule.slice(0, rule.indexOf("}")).match(new RegExp(`${name}:\\s*(#[0-9a-f]{6})`));
  if (!found) throw new Error(`panel.css has no ${name} in ${selector}`);
  return found[1]!;
}

const ink = (brand: string, theme: "l" | "d") => themeCss(brand).match(new RegExp(`--ink-${theme}:(#[0-9a-f]{6})`))![1]!;

describe("themeCss", () => {
  it("reads the bubbles it shades against from panel.css", () => {
    expect(property(".w", "--bubble")).toBe(LIGHT_BUBBLE);
    expect(property(".w.t-dark", "--bubble")).toBe(DARK_BUBBLE);
    // The dark theme chosen by the visitor's system is the same.
    expect(property("  .w.t-auto", "--bubble")).toBe(DARK_BUBBLE);
    expect(property("  .w.t-auto", "--bg")).toBe(property(".w.t-dark", "--bg"));
  });

  it("gives links and citations AA contrast on the panel and in a message bubble, in both themes, for any brand colour", () => {
    const backgrounds = {
      l: [property(".w", "--bg"), property(".w", "--bubble")],
      d: [property(".w.t-dark", "--bg"), property(".w.t-dark", "--bubble")],
    };
    for (let r = 0; r < 256; r += 51) {
      for (let g = 0; g < 256; g += 51) {
        for (let b = 0; b < 256; b += 51) {
          const brand = `#${[r, g, b].map((c) => c.toString(16).padStart(2, "0")).join("")}`;
          for (const theme of ["l", "d"] as const) {
            for (const bg of backgrounds[theme]) expect(contrast(ink(brand, theme), bg), `${brand} on ${bg}`).toBeGreaterThanOrEqual(AA);
          }
        }
      }
    }
  });
});
