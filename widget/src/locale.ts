// Which language the widget speaks: the first of the candidates (the page's setting, the tenant's, the page's
// <html lang>, the browser's) whose language the widget has strings for; English when none has.

export const LOCALES = ["en", "es", "fr", "de", "ar"] as const;
export type Locale = (typeof LOCALES)[number];

export function pickLocale(candidates: ReadonlyArray<string | null | undefined>): Locale {
  for (let i = 0; i < candidates.length; i++) {
    // "fr-CA" and "fr_ca" are French; "auto" and "" say nothing.
    const primary = (candidates[i] ?? "").toLowerCase().split(/[-_]/)[0] as Locale;
    for (let j = 0; j < LOCALES.length; j++) if (LOCALES[j] === primary) return primary;
  }
  return "en";
}

export const isRtl = (locale: Locale) => locale === "ar";
