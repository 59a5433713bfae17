// The contract between the loader (dist/widget.js) and the panel app (dist/widget-app.<hash>.js). The app
// registers through the one global the widget owns: `window.BizBot("_app", (host) => app)`. Types only.
// The loader is held to 3 KB gzip, so whatever can wait for the app lives there: the visitor fingerprint, the
// identity's checks and storage, the unread badge, the panel's language.
import type { WidgetConfigResponse } from "@bizbot/shared";
import type { PageSettings } from "./settings.ts";

/** Events a page may listen to with `BizBot('on', name, fn)`. */
export type WidgetEvent = "ready" | "open" | "close" | "message" | "unread" | "error";

/** What the loader gives the app. Getters, because `identify`, `update` and `shutdown` change them later. */
export interface WidgetHost {
  /** The open shadow root the launcher is drawn in; the app adds its panel beside it. */
  root: ShadowRoot;
  /** The launcher button (hidden with `hideLauncher`): the app draws the unread badge into it. */
  launcher: HTMLButtonElement;
  config: WidgetConfigResponse;
  /** The publishable key. */
  key: string;
  /** The platform's base URL, no trailing slash. */
  api: string;
  /**
   * `fetch` as the browser made it, whatever the page did to window.fetch before the loader ran; bound to the window.
   * The app reads its event streams through it too (app/sse.ts), never through the page's EventSource.
   */
  fetch: typeof fetch;
  /** What the page last passed to `BizBot('identify', …)` on this page load, unchecked, or undefined. */
  identity(): unknown;
  settings(): PageSettings;
  emit(event: WidgetEvent, data?: unknown): void;
  /** Opens or closes the panel as the launcher and `BizBot('open' | 'close')` do: the loader keeps the state. */
  setOpen(open: boolean): void;
}

/** What the app gives back: the loader tells it what changed. */
export interface WidgetApp {
  setOpen(open: boolean): void;
  /** Settings or identity changed (`update`, `identify`): draw again. */
  refresh(): void;
  /** `BizBot('shutdown')`: the loader emptied the widget's storage; forget the visitor, the conversation, the runs. */
  reset(): void;
}

export type AppFactory = (host: WidgetHost) => WidgetApp;
