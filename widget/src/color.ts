// Colour arithmetic for the tenant's brand colour: which text colour is readable on it, and a shade of it that is
// readable as text on the panel's background. WCAG 2 relative luminance and contrast ratio; AA for text is 4.5:1.

export const DEFAULT_BRAND = "#2563eb";
export const AA = 4.5;
const HEX = /^#[0-9a-f]{6}$/i;

/** The colour if it is `#rrggbb`, else the default: the value goes into a stylesheet, so nothing else may pass. */
export const brandOf = (hex: unknown): string => (typeof hex === "string" && HEX.test(hex) ? hex : DEFAULT_BRAND);

const rgb = (hex: string) => {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255] as const;
};

const linear = (c: number) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};

export function luminance(hex: string): number {
  const [r, g, b] = rgb(hex);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

export function contrast(a: string, b: string): number {
  const x = luminance(a);
  const y = luminance(b);
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/**
 * Text on the brand colour: white when it reaches AA (what most brands expect), else black. One of the two always
 * does: the better of them is at least √21 ≈ 4.58:1 on any colour. White's ratio is 1.05 / (L + 0.05), which is
 * 4.5 or more exactly when L ≤ 1.05 / 4.5 − 0.05; written so, the loader carries no contrast function.
 */
export const textOn = (bg: string): string => (luminance(bg) <= 1.05 / AA - 0.05 ? "#ffffff" : "#000000");

/** `hex` moved `t` (0..1) of the way towards `to`. */
export function mix(hex: string, to: string, t: number): string {
  const a = rgb(hex);
  const b = rgb(to);
  let out = "#";
  for (let i = 0; i < 3; i++)
    out += Math.round(a[i]! + (b[i]! - a[i]!) * t)
      .toString(16)
      .padStart(2, "0");
  return out;
}

/** The brand colour, darkened (on a light background) or lightened (on a dark one) until it reads as text on `bg`. */
export function inkOn(brand: string, bg: string): string {
  const towards = luminance(bg) > 0.5 ? "#000000" : "#ffffff";
  for (let t = 0; t <= 1; t += 0.05) {
    const c = mix(brand, towards, t);
    if (contrast(c, bg) >= AA) return c;
  }
  return towards;
}
