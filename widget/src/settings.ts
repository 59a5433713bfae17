// The page's settings for the widget: its script tag's data-* attributes, then `window.BizBotSettings`, then
// `BizBot('update', …)`, each overriding the one before. Everything is checked: a typo must not break the widget.
import type { WidgetPosition } from "@bizbot/shared";

export interface PageSettings {
  position?: WidgetPosition;
  /** A language tag ("fr", "de-AT"), or "auto". */
  locale?: string;
  openOnLoad?: boolean;
  /** No launcher: the page opens the panel through `BizBot('open')`. */
  hideLauncher?: boolean;
}

export interface ScriptLike {
  readonly src: string;
  getAttribute(name: string): string | null;
}

export interface TagConfig {
  /** Publishable key (`pk_…`), or undefined when the tag has none. */
  key: string | undefined;
  /** Platform base URL without a trailing slash. */
  apiBase: string;
  settings: PageSettings;
}

const flag = (v: unknown) => v === true || v === "" || v === "true";

/** Checked settings from any value: a `BizBotSettings` object, an `update` argument, or the tag's attributes. */
export function readSettings(value: unknown): PageSettings {
  const o = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const out: PageSettings = {};
  if (o.position === "bottom-right" || o.position === "bottom-left") out.position = o.position;
  // Any tag: pickLocale reads only its language, and falls back on anything it has no strings for.
  if (typeof o.locale === "string") out.locale = o.locale;
  if (o.openOnLoad != null) out.openOnLoad = flag(o.openOnLoad);
  if (o.hideLauncher != null) out.hideLauncher = flag(o.hideLauncher);
  return out;
}

export function readTag(script: ScriptLike | null, pageOrigin: string): TagConfig {
  const attr = (name: string) => script?.getAttribute(`data-${name}`)?.trim();
  const api = attr("api");
  // The platform serves /widget.js itself, so the script's own origin is the right default.
  const base = api || (script?.src ? new URL(script.src, pageOrigin).origin : pageOrigin);
  return {
    key: attr("key") || undefined,
    apiBase: base.replace(/\/+$/, ""),
    settings: readSettings({ position: attr("position"), locale: attr("locale"), openOnLoad: attr("open") }),
  };
}

/** A secret key in a public page is a leak: refused, never used. One short sentence: the loader carries it. */
export const checkKey = (key: string | undefined): string | undefined =>
  key?.startsWith("pk_") ? undefined : "data-key must be a publishable key (pk_…), never a secret one";
