// The tenant's brand colour as the panel's custom properties: the colour, the text colour on it (AA contrast),
// and shades of it that read as text (links, citations, focus rings) in the light and the dark theme.
import { brandOf, inkOn, textOn } from "../color.ts";

/**
 * What links are read against in each theme: a message bubble (panel.css's --bubble), the background that gives
 * them the least contrast, darker than the light panel and lighter than the dark one. Ink that reads there reads on
 * the panel's background too.
 */
export const LIGHT_BUBBLE = "#eff1f3";
export const DARK_BUBBLE = "#2d2f33";

export function themeCss(brandColor: string): string {
  const brand = brandOf(brandColor);
  return `.w{--brand:${brand};--on-brand:${textOn(brand)};--ink-l:${inkOn(brand, LIGHT_BUBBLE)};--ink-d:${inkOn(brand, DARK_BUBBLE)}}`;
}
