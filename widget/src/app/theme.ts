// The tenant's brand colour as the panel's custom properties: the colour, the text colour on it (AA contrast),
// and shades of it that read as text (links, focus rings) on the light and the dark background.
import { brandOf, inkOn, textOn } from "../color.ts";

export const LIGHT_BG = "#ffffff";
export const DARK_BG = "#1f2023";

export function themeCss(brandColor: string): string {
  const brand = brandOf(brandColor);
  return `.w{--brand:${brand};--on-brand:${textOn(brand)};--ink-l:${inkOn(brand, LIGHT_BG)};--ink-d:${inkOn(brand, DARK_BG)}}`;
}
