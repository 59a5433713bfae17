// Reads the widget's settings from its own <script> tag. Takes a minimal shape instead of
// HTMLScriptElement so it can be tested without a DOM.

export interface ScriptLike {
  readonly src: string;
  getAttribute(name: string): string | null;
}

export interface WidgetConfig {
  /** Publishable key (`pk_…`), or undefined when the tag has none. */
  key: string | undefined;
  /** Platform base URL without a trailing slash. */
  apiBase: string;
}

export function readScriptConfig(script: ScriptLike | null, pageOrigin: string): WidgetConfig {
  const key = script?.getAttribute("data-key")?.trim() || undefined;
  const api = script?.getAttribute("data-api")?.trim();
  // The platform serves /widget.js itself, so the script's own origin is the right default.
  const base = api || (script?.src ? new URL(script.src, pageOrigin).origin : pageOrigin);
  return { key, apiBase: base.replace(/\/+$/, "") };
}

/** A secret key in a public page is a leak; refuse it loudly rather than use it. */
export function checkKey(key: string | undefined): string | undefined {
  if (key === undefined) return 'BizBot: no publishable key; add data-key="pk_…" to the script tag';
  if (key.startsWith("sk_")) return "BizBot: a secret key (sk_…) was put in a public page; use a publishable key (pk_…) and rotate the secret key";
  if (!key.startsWith("pk_")) return "BizBot: data-key must be a publishable key starting with pk_";
  return undefined;
}
