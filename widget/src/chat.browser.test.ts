// The widget in a real browser against a real platform: the built loader (dist/widget.js) and panel app, served by
// the platform, embedded in pages on another origin, answering through the scripted Anthropic stand-in. The stage
// (test/stage.ts) runs the platform as its own process, so that nothing here imports platform code.
import { bearer, rest, type AnthropicStandIn, type Responder, type TestAccount } from "@bizbot/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type HostPage,
  ask,
  browserTestsRun,
  CHROMIUM,
  closePage,
  DESKTOP,
  HELP_PAGE,
  launcher,
  openChat as openChatAt,
  shadow,
  type Stage,
  startStage,
  until,
} from "../test/stage.ts";
import { XSS_PAYLOADS } from "../test/xss-payloads.ts";

if (!browserTestsRun) console.warn(`[skipped] widget browser test: ${CHROMIUM} is absent (apt-get install chromium)`);

const NONCE = "n0nce-for-the-test";
const CTA = { label: "Create an account", url: "https://signup.example/start" };

const DOCUMENT = {
  title: "Refund policy",
  format: "markdown",
  content: "# Refunds\nRefunds are paid back to the original card within five business days of the return arriving.",
};
/** Knowledge that carries markup: its title and text reach the panel as citations. */
const HOSTILE_DOCUMENT = {
  title: `Warranty <img src=x onerror="window.__pwned='kb-title'">`,
  format: "markdown",
  content: `# Warranty <script>window.__pwned='kb'</script>\nThe warranty lasts two years. <img src=x onerror="window.__pwned='kb-text'"> [x](javascript:window.__pwned='kb-link')`,
};
const INJECTED = `<img src=x onerror="window.__pwned=1">`;
const TOKENS = ["Refunds", " reach", " your", " card", " within", " **five**", " business", " days", " [1].", ` Note: ${INJECTED}`];
const FINAL = `Refunds reach your card within five business days [1]. Note: ${INJECTED}`;

let stage: Stage;
let model: AnthropicStandIn;
let platformUrl: string;
let pageOrigin: string;
let account: TestAccount;

/** The tenant's pages: another origin than the platform's, embedding the widget as the docs say. */
function hostPage(path: string, tag: (extra?: string) => string): HostPage | undefined {
  const plain = (lang: string) => `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Shop</title></head>
<body><h1>A tenant's shop</h1>${tag()}</body></html>`;
  if (path === "/") return { headers: {}, html: plain("en") };
  if (path === "/ar") return { headers: {}, html: plain("ar") };
  if (path === "/bare") {
    // Records the page's globals before the widget runs, to compare after.
    return {
      headers: {},
      html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bare</title>
<script>window.__before = Object.getOwnPropertyNames(window);</script></head><body><h1>Bare</h1>${tag()}</body></html>`,
    };
  }
  if (path === "/api") {
    // The snippet a developer pastes before the tag: calls made before the loader runs are queued, then replayed.
    return {
      headers: {},
      html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>API</title><script>
window.__events = [];
window.__streams = [];
const PageEventSource = window.EventSource;
window.EventSource = function (url) { window.__streams.push(String(url)); return new PageEventSource(url); };
window.BizBot = window.BizBot || function () { (BizBot.q = BizBot.q || []).push(arguments); };
for (const name of ["ready", "open", "close", "message", "unread", "error"]) BizBot("on", name, (data) => window.__events.push(name + (data === undefined ? "" : ":" + JSON.stringify(data))));
BizBot("identify", { userId: "user-7", name: "Ada", email: "ada@example.com" });
</script></head><body><h1>API</h1>${tag()}</body></html>`,
    };
  }
  if (path === "/perf" || path === "/perf-bare") {
    // The same page with and without the widget, watching long tasks, layout shifts and when the launcher appears.
    return {
      headers: {},
      html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Perf</title><script>
window.__perf = { longTasks: [], shifts: 0, launcherAt: null };
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__perf.longTasks.push(Math.round(e.duration)); }).observe({ type: "longtask", buffered: true });
new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__perf.shifts += e.value; }).observe({ type: "layout-shift", buffered: true });
new MutationObserver(() => { if (!window.__perf.launcherAt && document.querySelector("bizbot-widget")) requestAnimationFrame(() => (window.__perf.launcherAt = performance.now())); }).observe(document.documentElement, { childList: true, subtree: true });
</script></head><body><h1>A tenant's shop</h1><p>${"Some text of the page. ".repeat(200)}</p>${path === "/perf" ? tag() : ""}</body></html>`,
    };
  }
  if (path === "/hostile") {
    // Everything a careless or hostile page does: styles by nonce only, CSS that unsets and hides everything, sets
    // the widget's custom properties to transparent and transforms <body> (the box fixed elements are then placed
    // in, 3000 px tall), an overlay at the top z-index, the page's own fetch and Array.prototype replaced, and a
    // wrapper of EventSource that records every stream's URL.
    return {
      headers: { "Content-Security-Policy": `script-src 'nonce-${NONCE}'; style-src 'nonce-${NONCE}'; object-src 'none'; base-uri 'none'` },
      html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hostile</title>
<script nonce="${NONCE}">
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber));
Array.prototype.evil = function () { throw new Error("Array.prototype.evil"); };
Array.prototype.toJSON = function () { return "hijacked"; };
Array.from = function () { return []; };
window.fetch = function () { return Promise.reject(new TypeError("this page blocks fetch")); };
window.__streams = [];
const PageEventSource = window.EventSource;
window.EventSource = function (url) { window.__streams.push(String(url)); return new PageEventSource(url); };
</script>
<style nonce="${NONCE}">
* { all: unset !important; --b: transparent; --o: transparent !important; --brand: transparent; --on-brand: transparent !important; --bg: transparent; --fg: transparent; --ink-l: transparent; }
body { display: block !important; transform: translateZ(0) !important; min-height: 3000px !important; }
button { display: none !important; }
.overlay { display: block !important; position: fixed !important; left: 0 !important; right: 0 !important; top: 0 !important; height: 100vh !important; z-index: 2147483647 !important; background: rgb(0 0 0 / 0.05) !important; }
</style></head>
<body><div class="overlay"></div><h1>Hostile</h1>${tag(` nonce="${NONCE}"`)}</body></html>`,
    };
  }
  return undefined;
}

/** The number a turn's prompt gives the passage labelled `label` ("Refund policy › Refunds"): its line is "[n] label". */
function passageNumber(body: Parameters<Responder>[0], label: string): number | undefined {
  const last = body.messages.at(-1)!;
  const prompt = typeof last.content === "string" ? last.content : last.content.map((b) => (b.type === "text" ? b.text : "")).join("\n");
  const line = prompt.split("\n").find((l) => /^\[\d+\] /.test(l) && l.endsWith(`] ${label}`));
  return line ? Number(/^\[(\d+)\]/.exec(line)![1]) : undefined;
}

const savedIds = async (page: Page) =>
  JSON.parse((await page.evaluate((k) => localStorage.getItem(k), `bizbot:${account.keys.live.publishable.key}`)) ?? "{}") as {
    visitorId?: string;
    conversationId?: string;
  };

/** What in the shadow root could run script: such elements, `on*` attributes, and hrefs that are not http(s) or mailto. */
const scriptCapable = (page: Page) =>
  shadow(page, (root) => {
    const found: string[] = [];
    for (const el of root.querySelectorAll("*")) {
      if (/^(script|img|iframe|object|embed|svg|math|style|link|meta|base|frame|video|audio|source)$/i.test(el.tagName)) {
        found.push(el.tagName);
      }
      for (const attr of el.getAttributeNames()) {
        if (/^on/i.test(attr) || /^(style|srcdoc|action|formaction)$/.test(attr)) found.push(`${el.tagName}[${attr}]`);
      }
      const href = el.getAttribute("href");
      if (href !== null && !/^(https?:|mailto:)/i.test(href)) found.push(`${el.tagName}[href=${href}]`);
    }
    return found;
  });

const newPage: Stage["newPage"] = (viewport, options) => stage.newPage(viewport, options);
const openChat = (page: Page, path = "/") => openChatAt(page, pageOrigin + path);

describe.skipIf(!browserTestsRun)("the widget in Chromium", { timeout: 90_000 }, () => {
  beforeAll(async () => {
    // A new tenant has no credits, and a model reply costs one by default; free replies keep the model answering.
    // Two free runs of the Ticket Resolver each, then the tenant's call to action.
    stage = await startStage({
      pages: hostPage,
      settings: { chat: { replyCredits: 0, botName: "Shop helper" }, trialRuns: { "ticket-resolver": 2 }, widget: { callToAction: CTA } },
      documents: [DOCUMENT, HOSTILE_DOCUMENT],
      // A page of the tenant's site, imported by URL: its passages are cited with the page's address.
      imports: [HELP_PAGE.path],
    });
    ({ model, platformUrl, pageOrigin, account } = stage);
  }, 120_000);

  afterAll(() => stage?.close(), 30_000);

  it("serves the config the loader reads, and the app it names", async () => {
    const res = await fetch(`${platformUrl}/widget/config?key=${account.keys.live.publishable.key}`, { headers: { origin: pageOrigin } });
    expect(res.status, "GET /widget/config (the platform side of issue 12)").toBe(200);
    const config = (await res.json()) as { app: string; botName: string; callToAction: unknown; agents: boolean };
    expect(config).toMatchObject({ botName: "Shop helper", callToAction: CTA, agents: true });
    expect(config.app).toMatch(/\/widget\/widget-app\.[\w-]+\.js$/);
    expect((await fetch(config.app)).status).toBe(200);
  });

  it("streams a markdown answer token by token, cites its source, and hands off to a person", async () => {
    const page = await newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(pageOrigin);
    // Keyboard alone: the launcher is the page's first stop, Enter opens the panel and focus lands in the input.
    // The launcher is drawn once the config arrives: Tab before then would find nothing to stop at.
    await until(page, (root) => root.querySelector(".l") !== null);
    await page.keyboard.press("Tab");
    await until(page, (root) => root.activeElement?.classList.contains("l") === true);
    await page.keyboard.press("Enter");
    await page.getByRole("dialog", { name: "Chat with Shop helper" }).waitFor();
    await until(page, (root) => root.activeElement?.tagName === "TEXTAREA");
    expect(await page.getByText("Hi! How can we help?").isVisible()).toBe(true);

    model.script({ kind: "text", text: TOKENS, firstTokenDelayMs: 400, tokenDelayMs: 80 });
    const box = page.getByRole("textbox", { name: "Your message" });
    await box.fill("How long do refunds");
    // Shift+Enter is a new line in the question; Enter alone sends it.
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("take?");
    expect(await box.inputValue()).toBe("How long do refunds\ntake?");
    await page.keyboard.press("Enter");

    // Sampled inside the page until the answer is stored: every text the answer showed on its way.
    const samples = await shadow(page, (root) => {
      const seen: string[] = [];
      let typing = false;
      let focusLeft = false;
      return new Promise<{ seen: string[]; typing: boolean; focusLeft: boolean }>((resolve) => {
        const timer = setInterval(() => {
          typing ||= root.querySelector(".typing") !== null;
          focusLeft ||= root.activeElement?.tagName !== "TEXTAREA";
          const texts = root.querySelectorAll(".msg.bot .text");
          const text = texts.length > 1 ? (texts[texts.length - 1]!.textContent ?? "") : "";
          if (text && text !== seen[seen.length - 1]) seen.push(text);
          if (!root.querySelector("textarea")!.readOnly && seen.length > 0) {
            clearInterval(timer);
            resolve({ seen, typing, focusLeft });
          }
        }, 15);
      });
    });
    expect(samples.typing).toBe(true);
    // The input kept its focus while the answer streamed (read-only, not disabled), so Escape kept working.
    expect(samples.focusLeft).toBe(false);
    expect(samples.seen.at(-1)).toBe(FINAL);
    // It grew: many distinct texts, each extending the one before, not one jump to the whole answer.
    expect(samples.seen.length).toBeGreaterThanOrEqual(6);
    samples.seen.slice(1).forEach((text, i) => {
      expect(text.startsWith(samples.seen[i]!)).toBe(true);
    });

    // Markdown became elements; the model's markup stayed text.
    const answer = await shadow(page, (root) => {
      const last = [...root.querySelectorAll(".msg.bot")].at(-1)!;
      return {
        strong: last.querySelector("strong")?.textContent,
        cite: last.querySelector(".cite button")?.getAttribute("aria-label"),
        sources: [...last.querySelectorAll(".sources li")].map((li) => li.textContent),
        images: root.querySelectorAll("img").length,
        html: root.innerHTML,
      };
    });
    expect(answer.strong).toBe("five");
    expect(answer.cite).toBe("Source 1: Refund policy › Refunds");
    expect(answer.sources).toEqual(["[1] Refund policy › Refunds"]);
    expect(answer.images).toBe(0);
    expect(answer.html).toContain("&lt;img src=x onerror=");
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();

    // The citation opens a popover with the passage's title; Escape closes the popover, not the panel.
    await page.getByRole("button", { name: "Source 1: Refund policy › Refunds" }).click();
    await page.getByRole("region", { name: "[1] Refund policy › Refunds" }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("region", { name: "[1] Refund policy › Refunds" }).waitFor({ state: "detached" });
    expect(await page.getByRole("dialog").isVisible()).toBe(true);

    await page.getByRole("button", { name: "Talk to a person" }).first().click();
    await page.getByText("A person will get back to you.").waitFor();
    expect(await page.getByText("Waiting for a person").isVisible()).toBe(true);

    const saved = await savedIds(page);
    expect(saved.visitorId).toMatch(/^vis_/);
    const stored = await rest<{ conversation: { status: string } }>(platformUrl, "GET", `/v1/conversations/${saved.conversationId}`, {
      headers: bearer(account.keys.live.secret.key),
    });
    expect(stored.body.conversation.status).toBe("escalated");
    expect(pageErrors).toEqual([]);

    // A later page load restores the conversation from chat.history; Escape closes and gives focus back.
    await openChat(page);
    await page.getByText("How long do refunds take?").waitFor();
    expect(await shadow(page, (root) => [...root.querySelectorAll(".msg.bot .text")].map((t) => t.textContent))).toEqual(["Hi! How can we help?", FINAL]);
    expect(await page.getByText("A person will get back to you.").isVisible()).toBe(true);
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    await until(page, (root) => root.activeElement?.classList.contains("l") === true);
    await closePage(page);
  });

  it("starts one conversation when a person is asked for while the first question is on its way", async () => {
    const page = await newPage();
    await openChat(page);
    model.script({ kind: "text", text: ["Refunds", " take", " five", " days", " [1]."], firstTokenDelayMs: 300 });
    await page.getByRole("textbox", { name: "Your message" }).fill("When do refunds arrive?");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Talk to a person" }).first().click();
    await page.getByText("A person will get back to you.").waitFor();
    await until(page, (root) => !root.querySelector("textarea")!.readOnly);
    const saved = await savedIds(page);
    const listed = await rest<{ conversations: Array<{ id: string; visitorId: string; status: string; messageCount: number }> }>(
      platformUrl,
      "GET",
      "/v1/conversations?limit=100",
      { headers: bearer(account.keys.live.secret.key) },
    );
    expect(listed.body.conversations.filter((c) => c.visitorId === saved.visitorId)).toEqual([
      expect.objectContaining({ id: saved.conversationId, status: "escalated", messageCount: 2 }),
    ]);
    await closePage(page);
  });

  it("links a citation of a page imported by URL to that page, and shows a typed-in document's passage in a popover", async () => {
    const page = await newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await openChat(page);
    // The answer cites both passages by the numbers this turn's prompt gave them, whatever the search's order.
    const SHIPPING = `${HELP_PAGE.title} › ${HELP_PAGE.heading}`;
    const REFUNDS = "Refund policy › Refunds";
    let numbers: { shipping?: number; refunds?: number; prompt?: string } = {};
    model.script((body) => {
      numbers = { shipping: passageNumber(body, SHIPPING), refunds: passageNumber(body, REFUNDS), prompt: JSON.stringify(body.messages.at(-1)) };
      return {
        kind: "text",
        text: [`Parcels leave within two working days [${numbers.shipping}].`, ` Refunds are paid within five business days [${numbers.refunds}].`],
      };
    });
    await ask(page, "When do parcels ship, and when are refunds paid?");
    const { shipping, refunds } = numbers;
    expect(shipping, `the help page's passage in the prompt: ${numbers.prompt}`).toBeTypeOf("number");
    expect(refunds, `the refund policy's passage in the prompt: ${numbers.prompt}`).toBeTypeOf("number");
    const helpUrl = pageOrigin + HELP_PAGE.path;

    // The imported page's citation is a link to the page, in the answer and in its sources; no popover button.
    const marker = page.getByRole("link", { name: `Source ${shipping}: ${SHIPPING}`, exact: true });
    expect(await marker.getAttribute("href")).toBe(helpUrl);
    expect(await marker.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await marker.getAttribute("target")).toBe("_blank");
    expect(await marker.textContent()).toBe(`[${shipping}]`);
    const listed = page.getByRole("link", { name: `[${shipping}] ${SHIPPING}`, exact: true });
    expect(await listed.getAttribute("href")).toBe(helpUrl);
    expect(await listed.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await page.getByRole("button", { name: `Source ${shipping}: ${SHIPPING}` }).count()).toBe(0);
    // Followed, it opens the page in a new tab that cannot reach the tenant's page, and is not told where it came from.
    const [tab] = await Promise.all([page.context().waitForEvent("page"), marker.click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toBe(helpUrl);
    expect(await tab.getByRole("heading", { name: HELP_PAGE.heading }).isVisible()).toBe(true);
    expect(await tab.evaluate(() => ({ opener: window.opener, referrer: document.referrer }))).toEqual({ opener: null, referrer: "" });
    await tab.close();

    // The citation of the document added as text has no address: its number opens a popover with the passage.
    expect(await page.getByRole("link", { name: `Source ${refunds}: ${REFUNDS}` }).count()).toBe(0);
    await page.getByRole("button", { name: `Source ${refunds}: ${REFUNDS}`, exact: true }).click();
    const popover = page.getByRole("region", { name: `[${refunds}] ${REFUNDS}`, exact: true });
    await popover.waitFor();
    expect(await popover.textContent()).toContain("Refunds are paid back to the original card within five business days of the return arriving.");
    expect(await popover.getByRole("link").count()).toBe(0);
    await popover.getByRole("button", { name: "Close" }).click();
    await popover.waitFor({ state: "detached" });

    // The stored answer keeps its citations' addresses: a later page load draws the same link.
    await openChat(page);
    await page.getByText("When do parcels ship, and when are refunds paid?").waitFor();
    expect(await page.getByRole("link", { name: `Source ${shipping}: ${SHIPPING}`, exact: true }).getAttribute("href")).toBe(helpUrl);
    expect(pageErrors).toEqual([]);
    await closePage(page);
  });

  it("runs an agent by keyboard: a form from its schema, progress, a readable result, the trial counted down, then the call to action", async () => {
    const page = await newPage();
    await openChat(page);
    // From the input, back to the tabs, and across to the agents with the arrow key.
    await page.keyboard.press("Shift+Tab");
    await until(page, (root) => root.activeElement?.getAttribute("role") === "tab");
    await page.keyboard.press("ArrowRight");
    await page.getByRole("heading", { name: "Choose an agent" }).waitFor();
    const agentButton = page.getByRole("button", { name: /Ticket Resolver/ });
    await agentButton.waitFor();
    expect(await agentButton.textContent()).toContain("2 of 2 free runs left");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Ticket Resolver" }).waitFor();

    // Required fields are marked, and checked before anything is sent.
    const ticket = page.getByRole("textbox", { name: "Ticket" });
    expect(await ticket.getAttribute("aria-required")).toBe("true");
    expect(await page.getByRole("textbox", { name: "Subject" }).getAttribute("aria-required")).toBeNull();
    await page.getByRole("button", { name: "Run" }).click();
    await page.getByText("This field is required.").waitFor();
    await until(page, (root) => root.activeElement?.getAttribute("name") === "ticket");

    for (const [n, reply] of [
      [1, "Refunds reach your card within **five** business days [1].\n\n| Step | When |\n|---|---|\n| Return arrives | Day 0 |\n| Refund paid | Day 5 |"],
      [2, "Your refund is on its way [1]."],
    ] as const) {
      const json = JSON.stringify({
        category: "refund",
        urgency: "normal",
        sentiment: "negative",
        summary: `Refund question ${n}`,
        reply,
        nextSteps: ["Check the return arrived", "Write back in five days"],
        needsHuman: false,
      });
      // The first run's model answers slowly, so that its progress can be seen.
      model.script(n === 1 ? { kind: "text", text: [json], firstTokenDelayMs: 1_500 } : json);
      await ticket.fill(`Where is my refund? (${n})`);
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      // Progress while the model works. (Steps named before the widget's subscription connects are not replayed by
      // the platform: a run this quick shows "Working…" alone.)
      if (n === 1) await page.getByRole("status").getByText("Working…").waitFor({ timeout: 10_000 });
      await page.getByRole("heading", { name: "Result" }).waitFor({ timeout: 20_000 });
      await until(page, (root) => root.activeElement?.textContent === "Result");
      const result = await shadow(page, (root) => {
        const outcome = root.querySelector(".outcome")!;
        return {
          headings: [...outcome.querySelectorAll("h4")].map((h) => h.textContent),
          table: [...outcome.querySelectorAll("th")].map((th) => th.textContent),
          fields: Object.fromEntries(
            [...outcome.querySelectorAll(".kv > div")].map((d) => [d.querySelector("dt")?.textContent, d.querySelector("dd")?.textContent]),
          ),
        };
      });
      expect(result.headings).toEqual(expect.arrayContaining(["Reply", "Next steps"]));
      expect(result.fields).toMatchObject({ Category: "refund", Urgency: "normal", "Needs human": "No" });
      if (n === 1) expect(result.table).toEqual(["Step", "When"]);
      // The copy button puts the reply's text on the clipboard.
      await page.getByRole("button", { name: "Copy text" }).click();
      await page.getByText("Copied.").waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(n === 1 ? "five" : "on its way");
      if (n === 1) {
        expect(await page.getByText("1 of 2 free runs left").isVisible()).toBe(true);
        await page.getByRole("button", { name: "New run" }).click();
        await ticket.focus();
      }
    }
    // The free runs are gone: the tenant's call to action takes the Run button's place.
    await page.getByText("You've used your free runs of this agent.").waitFor();
    const cta = page.getByRole("link", { name: CTA.label });
    expect(await cta.getAttribute("href")).toBe(CTA.url);
    expect(await cta.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await page.getByRole("button", { name: "Run", exact: true }).count()).toBe(0);
    await page.getByRole("button", { name: "Back to the agents" }).click();
    expect(await page.getByRole("button", { name: /Ticket Resolver/ }).textContent()).toContain("You've used your free runs");
    await closePage(page);
  });

  it("renders and works on a hostile page: nonce-only CSP, unset styles, an overlay, patched fetch and Array.prototype", async () => {
    const page = await newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await page.goto(`${pageOrigin}/hostile`);
    // In sight where the page opens, not scrolled to (as a click would), in colours of its own.
    await launcher(page).waitFor();
    expect(await page.evaluate(() => scrollY)).toBe(0);
    const inViewport = (b: { x: number; y: number; width: number; height: number } | null) =>
      b !== null && b.x >= 0 && b.y >= 0 && b.x + b.width <= DESKTOP.width && b.y + b.height <= DESKTOP.height;
    expect(inViewport(await launcher(page).boundingBox())).toBe(true);
    // Background and text of the launcher, then of the panel and its header: none is transparent.
    const colours = () =>
      shadow(page, (root) =>
        [".l", ".panel", ".head"].flatMap((selector) => {
          const el = root.querySelector(selector);
          if (!el) return [];
          const style = getComputedStyle(el);
          return [`${selector} ${style.backgroundColor}`, `${selector} ${style.color}`];
        }),
      );
    const TRANSPARENT = "rgba(0, 0, 0, 0)";
    const launcherColours = await colours();
    expect(launcherColours).toHaveLength(2);
    for (const c of launcherColours) expect(c).not.toContain(TRANSPARENT);
    // Clickable: Playwright refuses a click that the overlay would take.
    await launcher(page).click({ timeout: 5_000 });
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    const box = await dialog.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(300);
    expect(inViewport(box)).toBe(true);
    const panelColours = await colours();
    expect(panelColours).toHaveLength(6);
    for (const c of panelColours) expect(c).not.toContain(TRANSPARENT);
    model.script({ kind: "text", text: ["Refunds", " take", " five", " days", " [1]."] });
    await ask(page, "How long do refunds take?");
    expect(await shadow(page, (root) => [...root.querySelectorAll(".msg.bot .text")].at(-1)?.textContent)).toBe("Refunds take five days [1].");
    // Its buttons are shown, whatever the page says of buttons.
    expect(await page.getByRole("button", { name: "Talk to a person" }).isVisible()).toBe(true);
    // The agents list loads too (its request is a GET with no body to bend).
    await page.getByRole("tab", { name: "Agents" }).click();
    await page.getByRole("button", { name: /Ticket Resolver/ }).waitFor();
    expect(await page.evaluate(() => (window as { __violations?: string[] }).__violations)).toEqual([]);
    // The answer streamed, and the page's EventSource never saw it (nor its URL: the key, the visitor, the question).
    expect(await page.evaluate(() => (window as { __streams?: string[] }).__streams)).toEqual([]);
    expect(pageErrors).toEqual([]);
    await closePage(page);
  });

  it("draws nothing on an origin the key does not allow: one warning, no further requests", async () => {
    const page = await newPage();
    const warnings: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => m.type() === "warning" && warnings.push(m.text()));
    page.on("request", (r) => r.url().startsWith(platformUrl) && requests.push(new URL(r.url()).pathname));
    // Same server, other origin (localhost instead of 127.0.0.1).
    const origin = pageOrigin.replace("127.0.0.1", "localhost");
    await page.goto(origin);
    await page.waitForFunction(() => typeof (window as { BizBot?: unknown }).BizBot === "function");
    await page.waitForTimeout(1_500);
    expect(await page.locator("bizbot-widget").count()).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(origin);
    expect(warnings[0]).toContain("API keys page");
    expect(requests).toEqual(["/widget.js", "/widget/config"]);
    // A page calling the API anyway changes nothing.
    await page.evaluate(() => (window as unknown as { BizBot: (c: string) => void }).BizBot("open"));
    await page.waitForTimeout(300);
    expect(requests).toHaveLength(2);
    await closePage(page);
  });

  it(`keeps ${XSS_PAYLOADS.length} XSS payloads inert, from model answers, knowledge text and agent output`, async () => {
    const page = await newPage();
    const dialogs: string[] = [];
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await openChat(page);
    // Model answers: every payload, one a line, streamed in small pieces.
    const answer = `Warranty facts [1] [2]:\n\n${XSS_PAYLOADS.join("\n\n")}`;
    const pieces = answer.match(/[\s\S]{1,40}/g)!;
    model.script({ kind: "text", text: pieces, tokenDelayMs: 5 });
    await ask(page, "How long is the warranty?");
    // Agent output: the same payloads in a result's text, list and summary.
    await page.getByRole("tab", { name: "Agents" }).click();
    await page.getByRole("button", { name: /Ticket Resolver/ }).click();
    model.script(
      JSON.stringify({
        category: "other",
        urgency: "low",
        sentiment: "neutral",
        summary: XSS_PAYLOADS[1],
        reply: XSS_PAYLOADS.join("\n"),
        nextSteps: XSS_PAYLOADS.slice(0, 10),
        needsHuman: false,
      }),
    );
    await page.getByRole("textbox", { name: "Ticket" }).fill("What does the warranty cover?");
    await page.getByRole("button", { name: "Run" }).click();
    await page.getByRole("heading", { name: "Result" }).waitFor({ timeout: 20_000 });
    // Knowledge text: the hostile document's title reached the answer's sources as text.
    const sources = await shadow(page, (root) => [...root.querySelectorAll(".msg .sources li")].map((li) => li.textContent));
    expect(sources.some((s) => s?.includes("<img src=x onerror="))).toBe(true);
    await page.waitForTimeout(500);
    expect(await scriptCapable(page)).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    await closePage(page);
  });

  it("speaks the page's language, right to left for Arabic, full screen on a phone, dark and still when asked", async () => {
    const page = await newPage({ width: 390, height: 844 }, { reducedMotion: "reduce", colorScheme: "dark" });
    await page.goto(`${pageOrigin}/ar`);
    await page.getByRole("button", { name: "تحدث معنا" }).click();
    const dialog = page.getByRole("dialog", { name: "محادثة مع Shop helper" });
    await dialog.waitFor();
    expect(await shadow(page, (root) => root.querySelector(".w")?.getAttribute("dir"))).toBe("rtl");
    expect(await page.getByRole("button", { name: "التحدث إلى شخص" }).isVisible()).toBe(true);
    const box = (await dialog.boundingBox())!;
    expect([box.x, box.y, box.width, box.height]).toEqual([0, 0, 390, 844]);
    // prefers-reduced-motion: no entrance; prefers-color-scheme: dark, as the tenant's theme is "auto".
    const look = await shadow(page, (root) => {
      const panel = root.querySelector(".panel")!;
      return { animation: getComputedStyle(panel).animationName, background: getComputedStyle(panel).backgroundColor };
    });
    expect(look).toEqual({ animation: "none", background: "rgb(31, 32, 35)" });
    await closePage(page);
  });

  it("answers the JavaScript API: queued calls, events, open and close, update, unread, identify, shutdown, SPA navigation", async () => {
    const page = await newPage();
    const events = () => page.evaluate(() => (window as { __events?: string[] }).__events ?? []);
    await page.goto(`${pageOrigin}/api`);
    await launcher(page).waitFor();
    await page.waitForFunction(() => (window as { __events?: string[] }).__events?.includes("ready"));
    const api = (...args: unknown[]) => page.evaluate((a) => (window as unknown as { BizBot: (...x: unknown[]) => void }).BizBot(...a), args);

    // The identity queued before the loader ran was kept.
    const key = account.keys.live.publishable.key;
    expect(JSON.parse((await page.evaluate((k) => localStorage.getItem(k), `bizbot:who:${key}`)) ?? "{}")).toMatchObject({ userId: "user-7", name: "Ada" });

    await api("open");
    await page.getByRole("dialog").waitFor();
    await api("toggle");
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    expect(await events()).toEqual(["ready", "open", "close"]);

    // An answer that lands while the panel is closed counts as unread, on the badge and for the page.
    await api("open");
    model.script({ kind: "text", text: ["Five", " days", "."], firstTokenDelayMs: 800 });
    await page.getByRole("textbox", { name: "Your message" }).fill("Refund time?");
    await page.keyboard.press("Enter");
    await api("close");
    await page.getByRole("button", { name: "Chat with us (1)" }).waitFor({ timeout: 10_000 });
    expect(await events()).toEqual(expect.arrayContaining(['message:{"role":"assistant","content":"Five days."}', "unread:1"]));
    await api("open");
    await page.getByRole("button", { name: "Chat with us", exact: true }).waitFor();
    expect((await events()).slice(-2)).toEqual(["unread:0", "open"]);

    // update moves the launcher to the left.
    await api("close");
    await api("update", { position: "bottom-left" });
    expect((await launcher(page).boundingBox())!.x).toBeLessThan(100);

    // A single-page app replacing its body keeps the widget.
    await page.evaluate(() => {
      const body = document.createElement("body");
      body.innerHTML = "<h1>Next page</h1>";
      history.pushState({}, "", "/next");
      document.documentElement.replaceChild(body, document.body);
    });
    await launcher(page).waitFor();
    // So does one rewriting the whole document (the widget, a child of <html>, is put back).
    await page.evaluate(() => {
      history.pushState({}, "", "/other");
      document.documentElement.innerHTML = "<head><title>Other</title></head><body><h1>Other page</h1></body>";
    });
    await launcher(page).waitFor();
    expect(await page.evaluate(() => document.querySelectorAll("bizbot-widget").length)).toBe(1);

    // shutdown forgets the visitor, the conversation and the identity.
    expect((await savedIds(page)).conversationId).toMatch(/^conv_/);
    await api("shutdown");
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("bizbot:")))).toEqual([]);
    await api("open");
    await page.getByRole("dialog").waitFor();
    expect(await shadow(page, (root) => root.querySelectorAll(".msg.me").length)).toBe(0);
    // The answer streamed without the page's EventSource, which it had wrapped before the loader ran.
    expect(await page.evaluate(() => (window as { __streams?: string[] }).__streams)).toEqual([]);
    await closePage(page);
  });

  it("forgets the visitor for good when shutdown comes while a conversation or a run is starting", async () => {
    const page = await newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    const streams: string[] = [];
    page.on("request", (r) => {
      const path = new URL(r.url()).pathname;
      if (path.endsWith("/chat.send") || path.endsWith("/widget.runEvents")) streams.push(path);
    });
    // chat.start and widget.runAgent are held until the test lets them answer, as on a slow network. The run's answer
    // is made up here: no run starts on the platform (its model call could take a later test's scripted reply).
    const held: Array<() => Promise<void>> = [];
    await page.route(/\/trpc\/(chat\.start|widget\.runAgent)/, async (route) => {
      if (route.request().method() === "OPTIONS") return route.continue();
      held.push(() =>
        route.request().url().includes("runAgent")
          ? route.fulfill({
              status: 200,
              headers: { "access-control-allow-origin": pageOrigin, "content-type": "application/json" },
              body: JSON.stringify({ result: { data: { id: "run_late", agentId: "ticket-resolver", status: "queued", billing: "trial", steps: [] } } }),
            })
          : route.continue(),
      );
    });
    const untilHeld = async () => {
      for (let i = 0; i < 200 && held.length === 0; i++) await page.waitForTimeout(25);
      expect(held).toHaveLength(1);
    };
    const shutdownThenAnswer = async () => {
      // No frame is painted from here on, as in a busy or hidden tab: whatever waits for one (Preact runs a passive
      // effect's cleanup after the next paint, or 100 ms) must not be what stops the late answer.
      await page.evaluate(() => {
        const w = window as unknown as { requestAnimationFrame: unknown; paused: unknown };
        w.paused = w.requestAnimationFrame;
        w.requestAnimationFrame = () => 0;
      });
      await page.evaluate(() => (window as unknown as { BizBot: (c: string) => void }).BizBot("shutdown"));
      expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("bizbot:")))).toEqual([]);
      await held.shift()!();
      // What the late answer would have done (storage written back, a stream opened) happens at once, or never.
      await page.waitForTimeout(1_000);
      await page.evaluate(() => {
        const w = window as unknown as { requestAnimationFrame: unknown; paused: unknown };
        w.requestAnimationFrame = w.paused;
      });
    };

    await openChat(page);
    await page.getByRole("textbox", { name: "Your message" }).fill("Refund time?");
    await page.keyboard.press("Enter");
    await untilHeld();
    await shutdownThenAnswer();
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("bizbot:")))).toEqual([]);
    expect(streams).toEqual([]);

    await page.evaluate(() => (window as unknown as { BizBot: (c: string) => void }).BizBot("open"));
    await page.getByRole("tab", { name: "Agents" }).click();
    await page.getByRole("button", { name: /Ticket Resolver/ }).click();
    await page.getByRole("textbox", { name: "Ticket" }).fill("Where is my refund?");
    await page.getByRole("button", { name: "Run" }).click();
    await untilHeld();
    await shutdownThenAnswer();
    expect(streams).toEqual([]);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("bizbot:")))).toEqual([]);
    expect(pageErrors).toEqual([]);
    await closePage(page);
  });

  it("shows a readable message, not an exception on the page, when the panel cannot draw what it was sent", async () => {
    const page = await newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    const consoleErrors: string[] = [];
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    // An agent without its trial: the list cannot draw it.
    await page.route(/\/trpc\/widget\.agents/, (route) =>
      route.request().method() === "OPTIONS"
        ? route.continue()
        : route.fulfill({
            status: 200,
            headers: { "access-control-allow-origin": pageOrigin, "content-type": "application/json" },
            body: JSON.stringify({
              result: {
                data: { agents: [{ id: "broken", name: "Broken", description: "", credits: 0, inputSchema: {}, trial: null, afterTrial: "paywall" }] },
              },
            }),
          }),
    );
    await openChat(page);
    await page.getByRole("tab", { name: "Agents" }).click();
    await page.getByRole("alert").getByText("Something went wrong in this chat window. Reload the page to try again.").waitFor();
    expect(await page.getByRole("dialog", { name: "Chat with Shop helper" }).isVisible()).toBe(true);
    await until(page, (root) => root.activeElement?.classList.contains("close") === true);
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    expect(pageErrors).toEqual([]);
    // Reported once, to the console (the page's `error` listeners hear { code: "internal" }).
    expect(consoleErrors.filter((e) => e.includes("TypeError"))).toHaveLength(1);
    await closePage(page);
  });

  it("costs the page no long task and no layout shift, and shows the launcher within 300 ms of the script running", async () => {
    const measure = async (path: string) => {
      const page = await newPage();
      await page.goto(pageOrigin + path, { waitUntil: "load" });
      if (path === "/perf") await launcher(page).waitFor();
      await page.waitForTimeout(500);
      const perf = await page.evaluate(() => {
        const w = window as unknown as { __perf: { longTasks: number[]; shifts: number; launcherAt: number | null } };
        const script = performance.getEntriesByType("resource").find((e) => e.name.endsWith("/widget.js")) as PerformanceResourceTiming | undefined;
        return { ...w.__perf, scriptAt: script?.responseEnd ?? null };
      });
      await closePage(page);
      return perf;
    };
    const without = await measure("/perf-bare");
    const withWidget = await measure("/perf");
    expect(withWidget.longTasks.length).toBeLessThanOrEqual(without.longTasks.length);
    expect(withWidget.shifts).toBe(0);
    expect(withWidget.launcherAt! - withWidget.scriptAt!).toBeLessThan(300);
  });

  it("adds nothing to the page's globals but window.BizBot", async () => {
    const page = await newPage();
    await page.goto(`${pageOrigin}/bare`);
    await launcher(page).click();
    await page.getByRole("dialog").waitFor();
    const added = await page.evaluate(() => {
      const before = new Set((window as unknown as { __before: string[] }).__before);
      return Object.getOwnPropertyNames(window).filter((name) => !before.has(name));
    });
    expect(added.sort()).toEqual(["BizBot", "__before"]);
    await closePage(page);
  });
});
