// The widget in a real browser against a real platform: the built dist/widget.js, served by the platform, embedded
// in a page on another origin, answering through the scripted Anthropic stand-in. The platform runs as its own
// process (bin/bizbot.js) so that nothing here imports platform code.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { bearer, rest, signUpAccount, startAnthropicStandIn, trpcMutation, type AnthropicStandIn, type TestAccount } from "@bizbot/testing";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const PLATFORM_BIN = fileURLToPath(new URL("../../platform/bin/bizbot.js", import.meta.url));
const required = process.env.REQUIRE_SERVICES === "1";
const runs = existsSync(CHROMIUM) || required;
if (!runs) console.warn(`[skipped] widget browser test: ${CHROMIUM} is absent (apt-get install chromium)`);

const DOCUMENT = {
  title: "Refund policy",
  format: "markdown",
  content: "# Refunds\nRefunds are paid back to the original card within five business days of the return arriving.",
};
const INJECTED = `<img src=x onerror="window.__pwned=1">`;
const TOKENS = ["Refunds", " reach", " your", " card", " within", " five", " business", " days", " [1].", ` Note: ${INJECTED}`];

let model: AnthropicStandIn;
let platform: ChildProcess | undefined;
let platformUrl: string;
let pageServer: Server;
let pageOrigin: string;
let account: TestAccount;
let browser: Browser;
const platformOutput: string[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startPlatform(): Promise<void> {
  const port = await freePort();
  platformUrl = `http://127.0.0.1:${port}`;
  const passThrough = Object.fromEntries(
    ["DATABASE_URL", "REDIS_URL", "REQUIRE_SERVICES", "PATH", "HOME"].flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])),
  );
  platform = spawn(process.execPath, [PLATFORM_BIN, "serve"], {
    env: {
      ...passThrough,
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: platformUrl,
      DATA_DIR: "memory://",
      DEMO_TENANT: "0",
      HOUSE_TENANT: "0",
      LOG_LEVEL: "warn",
      ANTHROPIC_API_KEY: "test",
      ANTHROPIC_BASE_URL: model.url,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [platform.stdout!, platform.stderr!]) {
    stream.setEncoding("utf8").on("data", (chunk: string) => platformOutput.push(chunk));
  }
  let exited: string | undefined;
  platform.once("exit", (code, signal) => (exited = `exited with ${code ?? signal}`));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) break;
    const ok = await fetch(`${platformUrl}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the platform did not become healthy (${exited ?? "timed out"}):\n${platformOutput.join("").slice(-4000)}`);
}

async function stopPlatform(): Promise<void> {
  const child = platform;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The tenant's site: another origin than the platform's, embedding the widget as the docs say. */
function startHostPage(): Promise<void> {
  pageServer = createServer((req, res) => {
    if (req.url !== "/") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><h1>A tenant's shop</h1>
<script src="${platformUrl}/widget.js" data-key="${account.keys.live.publishable.key}" async></script>
</body></html>`);
  });
  return new Promise((resolve) =>
    pageServer.listen(0, "127.0.0.1", () => {
      pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

/** Runs `fn` in the page on the widget's open shadow root; sent as source text, since a function cannot be an argument. */
const shadow = <T>(page: Page, fn: (root: ShadowRoot) => T) =>
  page.evaluate(`(${fn.toString()})(document.querySelector("bizbot-widget").shadowRoot)`) as Promise<Awaited<T>>;

/** Waits until `fn`, run on the shadow root as `shadow` runs it, is true: effects (focus) land after the render. */
const until = (page: Page, fn: (root: ShadowRoot) => boolean) =>
  page.waitForFunction(`(${fn.toString()})(document.querySelector("bizbot-widget").shadowRoot)`, undefined, { timeout: 5_000 });

/** Opens the panel and waits for focus to move into it (the click leaves it on the launcher first): Escape needs it. */
async function openChat(page: Page): Promise<void> {
  await page.goto(pageOrigin);
  await page.getByRole("button", { name: "Open chat" }).click();
  await page.getByRole("dialog").waitFor();
  await until(page, (root) => root.activeElement?.closest("[role=dialog]") != null);
}

describe.skipIf(!runs)("the chat widget in Chromium", { timeout: 60_000 }, () => {
  beforeAll(async () => {
    model = await startAnthropicStandIn();
    await startPlatform();
    // The page is served before the account exists (its origin goes into the key); it reads the key per request.
    await startHostPage();
    account = await signUpAccount(platformUrl, { allowedOrigins: [pageOrigin] });
    // A new tenant has no credits, and a model reply costs one by default; free replies keep the model answering.
    const settings = await trpcMutation(platformUrl, "settings.update", { input: { chat: { replyCredits: 0 } }, headers: bearer(account.token) });
    expect(settings.status).toBe(200);
    const doc = await rest<{ id: string; status: string }>(platformUrl, "POST", "/v1/knowledge/documents", {
      headers: bearer(account.keys.live.secret.key),
      body: DOCUMENT,
    });
    expect(doc.status).toBe(200);
    await waitUntilIndexed(doc.body.id);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopPlatform();
    await new Promise((resolve) => (pageServer?.listening ? pageServer.close(resolve) : resolve(undefined)));
    await model?.close();
  }, 30_000);

  it("streams an answer token by token as text, cites its source, and hands off to a person", async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    await openChat(page);
    expect(await shadow(page, (root) => root.activeElement?.tagName)).toBe("TEXTAREA");

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
          const text = [...root.querySelectorAll(".msg.bot .text")].at(-1)?.textContent ?? "";
          if (text && text !== seen.at(-1)) seen.push(text);
          if (!root.querySelector("textarea")!.readOnly && seen.length > 0) {
            clearInterval(timer);
            resolve({ seen, typing, focusLeft });
          }
        }, 15);
      });
    });
    const final = `Refunds reach your card within five business days [1]. Note: ${INJECTED}`;
    expect(samples.typing).toBe(true);
    // The input kept its focus while the answer streamed (read-only, not disabled), so Escape kept working.
    expect(samples.focusLeft).toBe(false);
    expect(samples.seen.at(-1)).toBe(final);
    // It grew: many distinct texts, each extending the one before, not one jump to the whole answer.
    expect(samples.seen.length).toBeGreaterThanOrEqual(6);
    samples.seen.slice(1).forEach((text, i) => {
      expect(text.startsWith(samples.seen[i]!)).toBe(true);
    });

    const sources = await shadow(page, (root) => [...root.querySelectorAll(".sources li")].map((li) => li.textContent));
    expect(sources).toEqual(["[1] Refund policy › Refunds"]);
    // The model's markup arrived as text: shown literally, never parsed into an element that could run.
    const dom = await shadow(page, (root) => ({ images: root.querySelectorAll("img").length, html: root.innerHTML }));
    expect(dom.images).toBe(0);
    expect(dom.html).toContain("&lt;img src=x onerror=");
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await shadow(page, (root) => root.activeElement?.tagName)).toBe("TEXTAREA");

    // The header's button; an answer may suggest a person too.
    await page.getByRole("button", { name: "Talk to a person" }).first().click();
    await page.getByText("A person will get back to you.").waitFor();
    expect(await page.getByText("Waiting for a person").isVisible()).toBe(true);

    const saved = JSON.parse((await page.evaluate((k) => localStorage.getItem(k), `bizbot:${account.keys.live.publishable.key}`)) ?? "{}") as {
      visitorId?: string;
      conversationId?: string;
    };
    expect(saved.visitorId).toMatch(/^vis_/);
    const stored = await rest<{ conversation: { status: string } }>(platformUrl, "GET", `/v1/conversations/${saved.conversationId}`, {
      headers: bearer(account.keys.live.secret.key),
    });
    expect(stored.body.conversation.status).toBe("escalated");
    expect(pageErrors).toEqual([]);

    // A later page load restores the conversation from chat.history; Escape closes and gives focus back.
    await openChat(page);
    await page.getByText("How long do refunds take?").waitFor();
    expect(await shadow(page, (root) => [...root.querySelectorAll(".msg.bot .text")].map((t) => t.textContent))).toEqual([final]);
    expect(await page.getByText("A person will get back to you.").isVisible()).toBe(true);
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    await until(page, (root) => root.activeElement?.getAttribute("aria-label") === "Open chat");
    await page.close();
  });

  it("starts one conversation when a person is asked for while the first question is on its way", async () => {
    const page = await browser.newPage();
    await openChat(page);
    model.script({ kind: "text", text: ["Refunds", " take", " five", " days", " [1]."], firstTokenDelayMs: 300 });
    await page.getByRole("textbox", { name: "Your message" }).fill("When do refunds arrive?");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Talk to a person" }).first().click();
    await page.getByText("A person will get back to you.").waitFor();
    await until(page, (root) => !root.querySelector("textarea")!.readOnly);
    const saved = JSON.parse((await page.evaluate((k) => localStorage.getItem(k), `bizbot:${account.keys.live.publishable.key}`)) ?? "{}") as {
      visitorId?: string;
      conversationId?: string;
    };
    const listed = await rest<{ conversations: Array<{ id: string; visitorId: string; status: string; messageCount: number }> }>(
      platformUrl,
      "GET",
      "/v1/conversations?limit=100",
      {
        headers: bearer(account.keys.live.secret.key),
      },
    );
    expect(listed.body.conversations.filter((c) => c.visitorId === saved.visitorId)).toEqual([
      expect.objectContaining({ id: saved.conversationId, status: "escalated", messageCount: 2 }),
    ]);
    await page.close();
  });

  it("says so in the panel when the key does not allow the page's origin", async () => {
    const page = await browser.newPage();
    // Same server, other origin (localhost instead of 127.0.0.1): the platform's 403 reaches the page, which says why.
    await page.goto(pageOrigin.replace("127.0.0.1", "localhost"));
    await page.getByRole("button", { name: "Open chat" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/isn't enabled for this website/);
    await page.close();
  });
});

async function waitUntilIndexed(documentId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const list = await rest<{ documents: Array<{ id: string; status: string }> }>(platformUrl, "GET", "/v1/knowledge/documents", {
      headers: bearer(account.keys.live.secret.key),
    });
    const doc = list.body.documents.find((d) => d.id === documentId);
    if (doc?.status === "ready") return;
    if (doc?.status === "failed") throw new Error(`indexing failed: ${JSON.stringify(doc)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the document was not indexed in time");
}
