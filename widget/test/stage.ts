// What the widget's browser tests play on: the Anthropic stand-in, the platform as its own process (bin/bizbot.js,
// so that nothing here imports platform code), a server of the tenant's pages on another origin, a tenant signed up
// with that origin allowed, and Debian's Chromium. Also the small helpers every such test uses on a page.
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type AnthropicStandIn,
  bearer,
  rest,
  signUpAccount,
  CHROMIUM,
  launchChromium,
  startAnthropicStandIn,
  startPlatformProcess,
  stopProcess,
  type TestAccount,
  trpcMutation,
} from "@bizbot/testing";
export { CHROMIUM } from "@bizbot/testing";
import type { Browser, Page } from "playwright-core";

/** Whether the browser tests run here: Chromium is installed, or the environment requires them (and fails without it). */
export const browserTestsRun = existsSync(CHROMIUM) || process.env.REQUIRE_SERVICES === "1";

/** A desktop Chrome's user agent: headless Chromium says "HeadlessChrome", and the platform gives automation no free runs. */
export const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface HostPage {
  headers: Record<string, string>;
  html: string;
}

/** The tenant's page at `path`, or undefined for a 404. `tag` is the widget's script tag as the docs say to paste it. */
export type HostPages = (path: string, tag: (extra?: string) => string) => HostPage | undefined;

export interface KnowledgeDocument {
  title: string;
  format: string;
  content: string;
}

/**
 * A help page the host-page server serves besides the tenant's pages, on the page origin, for the platform to import
 * by URL: its <title> is the document's title, its heading the passage's heading path.
 */
export const HELP_PAGE = {
  path: "/help/shipping",
  title: "Shipping help",
  heading: "Shipping",
  // Words that none of the other tests' questions use, so that it answers none of them.
  text: "Parcels leave our warehouse within two working days, tracked by courier.",
};

const helpPage = (): HostPage => ({
  headers: {},
  html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${HELP_PAGE.title}</title></head>
<body><main><h1>${HELP_PAGE.heading}</h1><p>${HELP_PAGE.text}</p></main></body></html>`,
});

export interface StageOptions {
  pages: HostPages;
  /** The input of settings.update for the new tenant. */
  settings: Record<string, unknown>;
  /** Added to the tenant's knowledge, each waited for until indexed. */
  documents?: KnowledgeDocument[];
  /** Paths on the page origin (HELP_PAGE.path, say) the platform imports by URL, after the documents, each waited for until indexed. */
  imports?: string[];
}

export interface PageOptions {
  reducedMotion?: "reduce";
  colorScheme?: "light" | "dark";
}

export interface Stage {
  model: AnthropicStandIn;
  platformUrl: string;
  pageOrigin: string;
  account: TestAccount;
  browser: Browser;
  /** Everything the platform printed, for a failure's message. */
  platformOutput: string[];
  /** A page in a fresh context: its own storage, so its own visitor and free runs. */
  newPage(viewport?: { width: number; height: number }, options?: PageOptions): Promise<Page>;
  close(): Promise<void>;
}

/** Serves the tenant's pages and HELP_PAGE; `tag` is read per request, since the key exists only once the origin is known. */
async function startHostPages(pages: HostPages, tag: (extra?: string) => string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const found = path === HELP_PAGE.path ? helpPage() : pages(path, tag);
    if (!found) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...found.headers });
    res.end(found.html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function waitUntilIndexed(platformUrl: string, secretKey: string, documentId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const list = await rest<{ documents: Array<{ id: string; status: string }> }>(platformUrl, "GET", "/v1/knowledge/documents", {
      headers: bearer(secretKey),
    });
    const doc = list.body.documents.find((d) => d.id === documentId);
    if (doc?.status === "ready") return;
    if (doc?.status === "failed") throw new Error(`indexing failed: ${JSON.stringify(doc)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the document was not indexed in time");
}

/** Starts everything, in order; if a step fails, what was started is stopped before the error is thrown. */
export async function startStage(options: StageOptions): Promise<Stage> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const model = await startAnthropicStandIn();
    cleanups.push(() => model.close());
    const platform = await startPlatformProcess({
      ANTHROPIC_API_KEY: "test",
      ANTHROPIC_BASE_URL: model.url,
      // The host pages a test imports by URL are on a loopback address, which the importer refuses otherwise.
      ALLOW_PRIVATE_FETCH: "1",
    });
    cleanups.push(() => stopProcess(platform.child));
    const platformOutput = platform.output;
    const platformUrl = platform.url;
    let account: TestAccount | undefined;
    // The pages are served before the account exists (their origin goes into the key); they read the key per request.
    const tag = (extra = "") => `<script src="${platformUrl}/widget.js" data-key="${account?.keys.live.publishable.key}" async${extra}></script>`;
    const pages = await startHostPages(options.pages, tag);
    cleanups.push(() => new Promise((resolve) => pages.server.close(resolve)));
    account = await signUpAccount(platformUrl, { allowedOrigins: [pages.origin] });
    const settings = await trpcMutation(platformUrl, "settings.update", { input: options.settings, headers: bearer(account.token) });
    if (settings.status !== 200) throw new Error(`settings.update: ${settings.status} ${JSON.stringify(settings.error)}`);
    for (const document of options.documents ?? []) {
      const doc = await rest<{ id: string; status: string }>(platformUrl, "POST", "/v1/knowledge/documents", {
        headers: bearer(account.keys.live.secret.key),
        body: document,
      });
      if (doc.status !== 200) throw new Error(`adding "${document.title}": ${doc.status} ${JSON.stringify(doc.body)}`);
      await waitUntilIndexed(platformUrl, account.keys.live.secret.key, doc.body.id);
    }
    for (const path of options.imports ?? []) {
      // The REST face of knowledge.importUrl, as a tenant's server would call it.
      const imported = await rest<{ documents: Array<{ id: string }>; failed: unknown[] }>(platformUrl, "POST", "/v1/knowledge/import", {
        headers: bearer(account.keys.live.secret.key),
        body: { url: pages.origin + path },
      });
      if (imported.status !== 200 || imported.body.documents.length !== 1) {
        throw new Error(`importing ${path}: ${imported.status} ${JSON.stringify(imported.body)}`);
      }
      await waitUntilIndexed(platformUrl, account.keys.live.secret.key, imported.body.documents[0]!.id);
    }
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const pageOrigin = pages.origin;
    return {
      model,
      platformUrl,
      pageOrigin,
      account,
      browser,
      platformOutput,
      async newPage(viewport = DESKTOP, pageOptions = {}) {
        const context = await browser.newContext({ userAgent: USER_AGENT, viewport, ...pageOptions });
        await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: pageOrigin });
        return context.newPage();
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export async function closePage(page: Page): Promise<void> {
  await page.context().close();
}

/** Runs `fn` in the page on the widget's open shadow root; sent as source text, since a function cannot be an argument. */
export const shadow = <T>(page: Page, fn: (root: ShadowRoot) => T) =>
  page.evaluate(`(${fn.toString()})(document.querySelector("bizbot-widget").shadowRoot)`) as Promise<Awaited<T>>;

/**
 * Waits until `fn`, run on the shadow root as `shadow` runs it, is true: effects (focus) land after the render.
 * Polled from here rather than with waitForFunction, whose in-page eval a page's CSP (the hostile one's) forbids.
 */
export async function until(page: Page, fn: (root: ShadowRoot) => boolean, timeout = 5_000): Promise<void> {
  const check = `(() => { const el = document.querySelector("bizbot-widget"); return !!el && (${fn.toString()})(el.shadowRoot); })()`;
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate(check))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${fn.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const launcher = (page: Page) => page.getByRole("button", { name: "Chat with us" });

/** Opens the panel on the page at `url` and waits for focus to move into it (the click leaves it on the launcher first): Escape needs it. */
export async function openChat(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await launcher(page).click();
  await page.getByRole("dialog").waitFor();
  await until(page, (root) => root.activeElement?.closest("[role=dialog]") != null);
}

/** Sends a question as a visitor types it, and waits for the stored answer. */
export async function ask(page: Page, question: string): Promise<void> {
  await page.getByRole("textbox", { name: "Your message" }).fill(question);
  await page.keyboard.press("Enter");
  await until(page, (root) => !root.querySelector("textarea")!.readOnly && root.querySelectorAll(".msg.bot:not(.typing)").length > 1, 15_000);
}
