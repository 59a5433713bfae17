// Entry of dist/widget.js. It has no exports on purpose: an IIFE with exports would add a
// global variable to the host page. The testable logic lives in queue.ts and script-config.ts.
import { defineWidget, TAG, type BizBotWidget } from "./element.tsx";
import { createStub, install, type BizBotFunction, type Dispatch } from "./queue.ts";
import { checkKey, readScriptConfig, type WidgetConfig } from "./script-config.ts";

declare global {
  interface Window {
    BizBot?: BizBotFunction;
  }
}

// currentScript is only set while this file is first executing, so read it now.
const scriptConfig = readScriptConfig(document.currentScript as HTMLScriptElement | null, location.origin);

function boot(options?: unknown): void {
  const o = (typeof options === "object" && options !== null ? options : {}) as Record<string, unknown>;
  const config: WidgetConfig = {
    key: typeof o.key === "string" ? o.key : scriptConfig.key,
    apiBase: typeof o.apiBase === "string" ? o.apiBase.replace(/\/+$/, "") : scriptConfig.apiBase,
  };
  const problem = checkKey(config.key);
  if (problem) throw new Error(problem);
  if (document.querySelector(TAG)) return; // booting twice keeps one launcher
  defineWidget();
  const el = document.createElement(TAG) as BizBotWidget;
  el.config = config;
  document.body.append(el);
}

const commands: Record<string, (...args: unknown[]) => void> = { boot };

const dispatch: Dispatch = (name, ...args) => {
  const command = commands[name];
  if (!command) throw new Error(`BizBot: unknown command "${name}"`);
  command(...args);
};

if (!window.BizBot?.loaded) {
  // Queue from the first moment; keep a stub the host page already made so its calls survive.
  window.BizBot ??= createStub();
  // The app needs <body>; a script in <head> runs before it exists, so commands wait in the queue.
  const start = () => {
    // One script tag is the whole install (docs/knowledge/accounts-and-keys.md): boot from the tag unless the host
    // page queued its own boot, whose options (another key or API address) win. Without a key the boot reports why.
    const hostBoots = window.BizBot?.q?.some((command) => command[0] === "boot");
    window.BizBot = install(window.BizBot, dispatch, (error) => console.error(error));
    if (!hostBoots) window.BizBot("boot");
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
}
