// What the portal's browser tests play on: the Anthropic and SMTP stand-ins (and, when asked, Stripe's), the platform
// as its own process, the built portal served as `npm start` serves it (react-router-serve, production), and Debian's
// Chromium.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  type AnthropicStandIn,
  freePort,
  type PlatformProcess,
  type SmtpStandIn,
  CHROMIUM,
  launchChromium,
  startAnthropicStandIn,
  startPlatformProcess,
  startSmtpStandIn,
  startStripeServer,
  type StripeStandIn,
  stopProcess,
} from "@bizbot/testing";
export { CHROMIUM } from "@bizbot/testing";
import type { Browser, BrowserContext } from "playwright-core";

const ADMIN_DIR = fileURLToPath(new URL("..", import.meta.url));
const SERVE_BIN = fileURLToPath(new URL("../../node_modules/@react-router/serve/bin.js", import.meta.url));

/**
 * Whether the browser tests run here. They need Chromium and the portal's build, and (the journey grants credits with
 * the operator's CLI, a second process) a database both processes share: real Postgres, or REQUIRE_SERVICES=1, which
 * makes any of these missing a failure rather than a skip.
 */
export const browserTestsRun = (existsSync(CHROMIUM) && Boolean(process.env.DATABASE_URL)) || process.env.REQUIRE_SERVICES === "1";
if (!browserTestsRun) console.warn("[skipped] the portal's browser tests: they need /usr/bin/chromium and DATABASE_URL");

/** A desktop Chrome's user agent: headless Chromium says "HeadlessChrome", and the platform gives automation no free runs. */
export const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export interface Stage {
  model: AnthropicStandIn;
  mail: SmtpStandIn;
  platform: PlatformProcess;
  /** Stripe's stand-in, with its prices made by `bizbot stripe sync`: only when the stage was started with `stripe`. */
  stripe: StripeStandIn | null;
  portalUrl: string;
  browser: Browser;
  newContext(options?: { viewport?: { width: number; height: number }; colorScheme?: "light" | "dark"; javaScriptEnabled?: boolean }): Promise<BrowserContext>;
  close(): Promise<void>;
}

async function startPortal(port: number, platformUrl: string, output: string[]): Promise<ChildProcess> {
  if (!existsSync(`${ADMIN_DIR}build/server/index.js`)) throw new Error("the portal is not built: run `npm run build -w admin` first");
  const child = spawn(process.execPath, [SERVE_BIN, "build/server/index.js"], {
    cwd: ADMIN_DIR,
    env: { PATH: process.env.PATH ?? "", PORT: String(port), PLATFORM_URL: platformUrl, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  for (const stream of [child.stdout!, child.stderr!]) stream.setEncoding("utf8").on("data", (chunk: string) => output.push(chunk));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const ok = await fetch(`http://localhost:${port}/pricing`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stopProcess(child);
  throw new Error(`the portal did not start:\n${output.join("").slice(-4000)}`);
}

/**
 * Starts everything, in order; if a step fails, what was started is stopped before the error is thrown. Without
 * `stripe`, the platform has no STRIPE_SECRET_KEY: billing is not configured and the operator grants credits.
 */
export async function startStage(options: { stripe?: boolean } = {}): Promise<Stage> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const model = await startAnthropicStandIn();
    cleanups.push(() => model.close());
    const mail = await startSmtpStandIn();
    cleanups.push(() => mail.close());
    const stripe = options.stripe ? await startStripeServer() : null;
    if (stripe) cleanups.push(() => stripe.close());
    const portalPort = await freePort();
    // localhost: browsers keep Secure cookies (the portal's, in production) on it over plain http.
    const portalUrl = `http://localhost:${portalPort}`;
    const platform = await startPlatformProcess({
      ANTHROPIC_API_KEY: "test",
      ANTHROPIC_BASE_URL: model.url,
      SMTP_URL: mail.url,
      // Where Stripe Checkout and the billing portal send people back to.
      PORTAL_URL: portalUrl,
      HOUSE_TENANT: "1",
      ...(stripe ? { STRIPE_SECRET_KEY: stripe.secretKey, STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, STRIPE_API_URL: stripe.url } : {}),
    });
    cleanups.push(() => stopProcess(platform.child));
    if (stripe) {
      stripe.setWebhookUrl(`${platform.url}/webhooks/stripe`);
      // The operator's step before the first sale: a Stripe price for each package and plan.
      await platform.cli(["stripe", "sync"]);
    }
    const portalOutput: string[] = [];
    const portal = await startPortal(portalPort, platform.url, portalOutput);
    cleanups.push(() => stopProcess(portal));
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    return {
      model,
      mail,
      platform,
      stripe,
      portalUrl,
      browser,
      async newContext(options = {}) {
        const context = await browser.newContext({ userAgent: USER_AGENT, viewport: options.viewport ?? DESKTOP, ...options });
        await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: portalUrl });
        return context;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
