// The loader's entry run on a stand-in page (no DOM here): each test imports it afresh, as a page would run it.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { BizBotFunction } from "../queue.ts";

type Listener = (...args: unknown[]) => void;

interface FakePage {
  window: Record<string, unknown> & { BizBot?: BizBotFunction };
  /** The document's event listeners, to fire DOMContentLoaded by hand. */
  documentListeners: Record<string, Listener>;
}

/** A page whose widget config answers with `config` (or never, when undefined), with listeners queued before the loader runs. */
function fakePage(config: unknown, queued: unknown[][]): FakePage {
  const documentListeners: Record<string, Listener> = {};
  const script = {
    src: "https://platform.example/widget.js",
    nonce: "",
    getAttribute: (name: string) => (name === "data-key" ? "pk_test_1" : null),
  };
  const document = {
    currentScript: script,
    documentElement: { lang: "en" },
    body: {},
    head: { appendChild() {} },
    querySelector: () => null,
    addEventListener: (type: string, fn: Listener) => (documentListeners[type] = fn),
  };
  // The snippet a page pastes before the tag: calls queue until the loader replays them.
  const stub = Object.assign((...args: unknown[]) => stub.q.push(args), { q: [] as unknown[][] });
  for (const args of queued) stub(...args);
  const window = {
    document,
    location: { origin: "https://shop.example" },
    navigator: { language: "en" },
    fetch: () => (config === undefined ? new Promise(() => {}) : Promise.resolve({ ok: true, status: 200, json: async () => config })),
    setTimeout,
    BizBot: stub as unknown as BizBotFunction,
  };
  return { window, documentListeners };
}

async function runLoader(page: FakePage): Promise<void> {
  vi.resetModules();
  vi.stubGlobal("window", page.window);
  vi.stubGlobal("document", page.window.document);
  await import("./main.ts");
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe("the loader", () => {
  it("keeps listeners of events named after Object.prototype's properties off the page's prototypes", async () => {
    const names = (o: object) => Object.getOwnPropertyNames(o).sort();
    const before = { proto: names(Object.prototype), object: names(Object), toString: names(Object.prototype.toString) };
    const page = fakePage(undefined, []);
    await runLoader(page);
    const fn = () => {};
    try {
      for (const event of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]) page.window.BizBot!("on", event, fn);
      expect(names(Object.prototype)).toEqual(before.proto);
      expect(names(Object)).toEqual(before.object);
      expect(names(Object.prototype.toString)).toEqual(before.toString);
      expect(({} as Record<string, unknown>).undefined).toBeUndefined();
    } finally {
      // What the unfixed loader wrote, taken back so that the other tests run on a clean realm.
      for (const target of [Object.prototype, Object, Object.prototype.toString, Object.prototype.hasOwnProperty, Object.prototype.valueOf]) {
        for (const key of ["undefined", "0", "1", "2"]) if (Object.hasOwn(target, key)) delete (target as unknown as Record<string, unknown>)[key];
      }
    }
  });

  it("reports a failure to draw once, to the console and to `error` listeners, and never throws into the page", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", onRejection);
    try {
      const heard: unknown[] = [];
      // No custom elements here, as in a browser without them (or without constructable stylesheets): drawing throws.
      const page = fakePage({ look: { brandColor: "#2563eb", launcherLabel: "Chat with us", position: "bottom-right" }, app: "x" }, [
        ["on", "error", (data: unknown) => heard.push(data)],
        ["on", "ready", () => heard.push("ready")],
      ]);
      await runLoader(page);
      await settle();
      // DOMContentLoaded comes after: the widget does not try again, nor report again.
      page.documentListeners.DOMContentLoaded?.();
      await settle();
      await settle();
      expect(rejections).toEqual([]);
      expect(errors).toHaveBeenCalledTimes(1);
      expect(heard).toEqual([{ code: "internal" }]);
    } finally {
      process.off("unhandledRejection", onRejection);
    }
  });
});
