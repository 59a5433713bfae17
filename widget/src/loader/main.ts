// Entry of dist/widget.js, the loader: the only file every page of a tenant's site pays for (budget: 3 KB gzip).
// It defines window.BizBot at once, fetches the widget config, draws the launcher and loads the panel app on first
// open or when the page is idle. No exports: an IIFE with exports would add a global besides window.BizBot.
import type { WidgetConfigResponse } from "@bizbot/shared";
import type { AppFactory, WidgetApp, WidgetEvent } from "../contract.ts";
import { type Locale, pickLocale } from "../locale.ts";
import { type BizBotFunction, install } from "../queue.ts";
import { checkKey, type PageSettings, readSettings, readTag } from "../settings.ts";
import { createLauncher, keepAttached, type Launcher, TAG } from "./launcher.ts";
import { pristineFetch } from "./pristine.ts";

declare global {
  interface Window {
    BizBot?: BizBotFunction;
    BizBotSettings?: unknown;
  }
}

/** The platform's default launcher label, said in the visitor's language while the tenant has not changed it. */
const DEFAULT_LABEL = "Chat with us";
const LABELS: Partial<Record<Locale, string>> = { es: "Chatea con nosotros", fr: "Discuter avec nous", de: "Chatten Sie mit uns", ar: "تحدث معنا" };

function start(w: Window & typeof globalThis): void {
  const doc = w.document;
  // First, before any later script of the page can change them: fetch (the app streams through it too, rather than
  // through the page's EventSource), and our own script tag (document.currentScript is only set while this file
  // first runs) with its nonce for the app's script.
  const net = pristineFetch(w);
  const script = doc.currentScript as HTMLScriptElement | null;
  const nonce = script?.nonce;
  const tag = readTag(script, w.location.origin);
  const key = tag.key ?? "";
  let settings: PageSettings = { ...tag.settings, ...readSettings(w.BizBotSettings) };
  let identity: unknown;
  let config: WidgetConfigResponse | undefined;
  let ui: Launcher | undefined;
  let app: WidgetApp | undefined;
  let dead = false;
  let open = false;
  let loading = false;
  let ready = false;
  // No prototype (the literal's __proto__, which no page script can replace as it can Object.create): an event named
  // `__proto__` or `constructor` must not reach the page's Object.prototype or Object.
  const listeners = { __proto__: null } as Partial<Record<WidgetEvent, Array<(data?: unknown) => void>>>;

  const emit = (event: WidgetEvent, data?: unknown) => {
    const list = listeners[event] ?? [];
    for (let i = 0; i < list.length; i++) {
      try {
        list[i]!(data);
      } catch (error) {
        console.error(error);
      }
    }
  };

  const locale = () => pickLocale([settings.locale, config?.look.locale, doc.documentElement.lang, w.navigator.language]);

  const paint = () => {
    if (!ui || !config) return;
    const { look } = config;
    ui.paint(
      look.brandColor,
      look.launcherLabel === DEFAULT_LABEL ? (LABELS[locale()] ?? DEFAULT_LABEL) : look.launcherLabel,
      (settings.position ?? look.position) === "bottom-left",
      settings.hideLauncher === true,
    );
  };

  const loadApp = () => {
    if (loading || app || !config) return;
    loading = true;
    const s = doc.createElement("script");
    s.src = config.app;
    // The loader's own nonce: under a CSP that allows scripts by nonce only, the app must carry it too.
    if (nonce) s.nonce = nonce;
    s.onerror = () => {
      loading = false;
      emit("error", { code: "app_unavailable" });
    };
    doc.head.appendChild(s);
  };

  const setOpen = (next: boolean) => {
    if (dead || next === open) return;
    open = next;
    if (!ui) return; // applied once the launcher is drawn
    ui.button.setAttribute("aria-expanded", String(open));
    if (open) {
      if (app) app.setOpen(true);
      else loadApp();
    } else {
      app?.setOpen(false);
      // Focus goes back to the launcher only from inside the widget: closing by API must not steal the page's.
      if (ui.root.activeElement) ui.button.focus();
    }
    emit(open ? "open" : "close");
  };

  const commands: Record<string, (a?: unknown, b?: unknown) => void> = {
    open: () => setOpen(true),
    close: () => setOpen(false),
    toggle: () => setOpen(!open),
    identify(value) {
      identity = value;
      app?.refresh();
    },
    update(value) {
      settings = { ...settings, ...readSettings(value) };
      paint();
      app?.refresh();
    },
    shutdown() {
      try {
        // storage.ts's keys: the conversation, the identity, the random visitor id.
        const forget = (k: string) => w.localStorage.removeItem(k);
        forget(`bizbot:${key}`);
        forget(`bizbot:who:${key}`);
        forget("bizbot:vid");
      } catch {}
      identity = undefined;
      setOpen(false);
      app?.reset();
    },
    on(event, fn) {
      if (typeof fn !== "function") return;
      const list = (listeners[event as WidgetEvent] ??= []);
      list[list.length] = fn as (data?: unknown) => void;
      // A listener added after the widget is ready still hears that it is.
      if (event === "ready" && ready) fn();
    },
    _app(factory) {
      if (app || !ui || !config) return;
      app = (factory as AppFactory)({
        root: ui.root,
        launcher: ui.button,
        config,
        key,
        api: tag.apiBase,
        fetch: net,
        identity: () => identity,
        settings: () => settings,
        emit,
        setOpen,
      });
      if (open) app.setOpen(true);
    },
  };

  const refuse = (code: string, message: string) => {
    dead = true;
    console.warn(`BizBot: ${message}`);
    emit("error", { code, message });
  };

  /** Whatever throws while the widget starts is reported once, here and to `error` listeners, never to the page. */
  const fault = (error: unknown) => {
    dead = true;
    console.error(error);
    emit("error", { code: "internal" });
  };

  // Async so that a throw (no constructable stylesheets, say) is a rejection that fault() takes.
  const draw = async () => {
    if (dead || !config || ui || !doc.body) return;
    ui = createLauncher(
      doc,
      () => setOpen(!open),
      () => setOpen(false),
    );
    paint();
    // Into <html>, after <body>: a transform, filter or contain on <body> makes it the box a fixed element is placed
    // in, which could put the launcher below the fold. (One on <html> still would; and an overlay the page adds later
    // at the top z-index can still cover us. The top layer, a popover, would escape both, for bytes the loader lacks.)
    doc.documentElement.appendChild(ui.el);
    keepAttached(doc, ui.el);
    ready = true;
    emit("ready");
    if (settings.openOnLoad || open) {
      open = false;
      setOpen(true);
    } else if (w.requestIdleCallback) w.requestIdleCallback(loadApp, { timeout: 4000 });
    else w.setTimeout(loadApp, 2000);
  };

  const fetchConfig = async () => {
    const res = await net(`${tag.apiBase}/widget/config?key=${encodeURIComponent(key)}`, { credentials: "omit" }).catch(() => null);
    const body = (await res?.json().catch(() => null)) as (WidgetConfigResponse & { error?: { code: string; message: string } }) | null;
    if (res?.ok && body?.look) {
      config = body;
      return draw();
    }
    const code = body?.error?.code;
    if (code === "origin_not_allowed") {
      return refuse(code, `${w.location.origin} is not an allowed origin of key ${key}: add it on the API keys page of the BizBot portal`);
    }
    refuse(code ?? "unavailable", body?.error?.message ?? `${tag.apiBase} did not answer (${res?.status})`);
  };

  // Live from the first moment; calls queued by a snippet the host page pasted before this script are replayed.
  w.BizBot = install(
    w.BizBot,
    (name, a, b) => {
      const command = commands[name];
      if (!command) throw new Error(`BizBot: unknown command "${name}"`);
      command(a, b);
    },
    (error) => console.error(error),
  );

  const problem = checkKey(tag.key);
  if (problem) {
    refuse("invalid_key", problem);
    return;
  }
  fetchConfig().catch(fault);
  // The launcher waits for <body> (placed after it, it is the page's last tab stop); a script in <head> runs before it exists.
  doc.addEventListener("DOMContentLoaded", () => draw().catch(fault), { once: true });
}

// Never throw into the host page, and never install twice (the tag pasted twice, or an SPA re-running it).
try {
  if (!window.BizBot?.loaded && !document.querySelector(TAG)) start(window);
} catch (error) {
  console.error(error);
}
