// The widget's wire shapes: the tenant's widget settings (platform/src/tenants/settings.ts validates them) and the
// answer of GET /widget/config (platform/src/widget/config.ts) that the widget's loader reads. Types only: the
// widget imports this file, and nothing of it (zod above all) may reach the widget's bundle.

import type { KeyMode } from "./keys.ts";

export type WidgetPosition = "bottom-right" | "bottom-left";
/** auto: the visitor's `prefers-color-scheme`. */
export type WidgetTheme = "auto" | "light" | "dark";
/** auto: the page's `<html lang>`, else the browser's language; a language without strings falls back to English. */
export type WidgetLocale = "auto" | "en" | "es" | "fr" | "de" | "ar";

/** How the widget looks on the tenant's site. The bot's name is the chat's (`chat.botName`). */
export interface WidgetLook {
  /** The panel's first message; up to 300 characters. */
  greeting: string;
  /** `#rrggbb`, lowercase; the widget picks a text colour on it that meets WCAG AA contrast. */
  brandColor: string;
  position: WidgetPosition;
  /** The launcher button's accessible name and tooltip; up to 40 characters. */
  launcherLabel: string;
  theme: WidgetTheme;
  locale: WidgetLocale;
}

/** What the widget offers a visitor whose free agent runs are used up: sign in, sign up, or any link. */
export interface WidgetCallToAction {
  /** Up to 40 characters. */
  label: string;
  /** An https URL (the platform's own site may use its PUBLIC_URL, http in development). */
  url: string;
}

/** The tenant's widget settings as stored (`settings.widget`), every field with its default when never set. */
export interface WidgetSettings extends WidgetLook {
  /** null: no call to action; the widget says the free runs are used up. */
  callToAction: WidgetCallToAction | null;
}

/**
 * `GET /widget/config?key=pk_…`: what the loader needs to draw the launcher and load the app, answered only to a
 * page on one of the key's allowed origins. The same object answers the tRPC query `widget.config`.
 */
export interface WidgetConfigResponse {
  tenant: { name: string };
  /** The key's mode: a test key's conversations and runs are the tenant's test data. */
  mode: KeyMode;
  botName: string;
  look: WidgetLook;
  callToAction: WidgetCallToAction | null;
  /**
   * Absolute URL of the panel app's script (`${PUBLIC_URL}/widget/widget-app.<hash>.js`, from the build's
   * manifest). A build without a manifest is one file, loader and app together: this is then that file's URL.
   */
  app: string;
  /** Whether the tenant offers any agent in the widget (widget.agents lists them). */
  agents: boolean;
}

/** `widget/dist/manifest.json`, written by the widget's build: the loader's and the app's file names. */
export interface WidgetManifest {
  loader: string;
  app: string;
}
