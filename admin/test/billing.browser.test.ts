// Buying credits in the browser, against the real platform and the Stripe stand-in: an owner buys a package on the
// stand-in's Checkout page and comes back to the credits, the ledger entry, the payment and its invoice; subscribes
// to a plan and reaches Stripe's billing portal; turns on auto top-up with a card that declines and sees why it
// failed; cancels a checkout without JavaScript. A member of the team sees it all and can buy nothing. Billing
// without Stripe (the default stage) is covered by pages.browser.test.ts.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { axeViolations, bearer, trpcMutation } from "@bizbot/testing";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkInMail, STRONG_PASSWORD, signUp, uniqueEmail, until } from "./helpers.ts";
import { sessionToken } from "./seed.ts";
import { browserTestsRun, DESKTOP, PHONE, type Stage, startStage } from "./stage.ts";

const SHOTS = fileURLToPath(new URL("../test-results/screenshots/", import.meta.url));

let stage: Stage;
let owner: BrowserContext;
let page: Page;
/** Errors in the browser's console on the portal's pages (a hydration mismatch included): none is allowed. */
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!browserTestsRun) return;
  stage = await startStage({ stripe: true });
  owner = await stage.newContext();
  page = await owner.newPage();
  watchConsole(page);
  mkdirSync(SHOTS, { recursive: true });
}, 180_000);
afterAll(() => stage?.close());

function watchConsole(p: Page): void {
  p.on("console", (message) => {
    // A form the platform refuses answers 400, which Chromium logs: that one is expected (the threshold below).
    if (/Failed to load resource: the server responded with a status of 400/.test(message.text())) return;
    if (message.type() === "error" && p.url().startsWith(stage.portalUrl)) consoleErrors.push(`${p.url()}: ${message.text()}`);
  });
  p.on("pageerror", (error) => consoleErrors.push(`${p.url()}: ${error.message}`));
}

/** The part of the page under the heading `name`: its section or card. */
const sectionOf = (p: Page, name: string): Locator =>
  p
    .locator("section, div.card")
    .filter({ has: p.getByRole("heading", { name, exact: true }) })
    .last();

/** One of the headline figures (Available, Held, Balance), as a number. */
async function stat(p: Page, label: string): Promise<number> {
  const figure = p.locator("dl > div").filter({ has: p.locator("dt", { hasText: new RegExp(`^${label}$`) }) });
  return Number((await figure.locator("dd").first().innerText()).replace(/,/g, ""));
}

async function openBilling(p: Page, query = ""): Promise<void> {
  await p.goto(`${stage.portalUrl}/billing${query}`);
  await p.getByRole("heading", { level: 1, name: "Billing", exact: true }).waitFor();
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe.runIf(browserTestsRun)("billing through Stripe", () => {
  let ownerEmail: string;
  let sessionId: string;

  it("buys the Starter package on Stripe Checkout and comes back to the credits, the ledger entry, the payment and its invoice", async () => {
    ownerEmail = uniqueEmail("billing");
    await signUp(page, stage, { company: "Billing Outfitters", email: ownerEmail });
    await openBilling(page);
    const before = await stat(page, "Balance");
    // No card yet: auto top-up waits for a first purchase, and says so.
    const autoTopUp = sectionOf(page, "Auto top-up");
    expect(await autoTopUp.innerText()).toMatch(/needs a saved card: buy a credit package once/);
    expect(await autoTopUp.getByRole("button", { name: "Save auto top-up" }).isDisabled()).toBe(true);
    expect(await sectionOf(page, "Payments").innerText()).toMatch(/No payments yet/);

    await page.getByRole("button", { name: "Buy the Starter package" }).click();
    await page.waitForURL((url) => url.href.startsWith(`${stage.stripe!.url}/checkout/`));
    await page.getByRole("heading", { name: "Pay $20.00 to BizBot" }).waitFor();
    await page.getByRole("button", { name: "Pay" }).click();
    await page.waitForURL((url) => url.href.startsWith(`${stage.portalUrl}/billing?checkout=success&session_id=cs_`));
    await page.getByRole("heading", { level: 1, name: "Billing", exact: true }).waitFor();
    sessionId = new URL(page.url()).searchParams.get("session_id")!;
    expect(stage.stripe!.checkoutSessions.get(sessionId)?.status).toBe("complete");

    // The stand-in delivers the webhook before it sends the browser back: the credits are there already.
    const notice = page.getByRole("status").filter({ hasText: "Payment received" });
    expect(await notice.innerText()).toMatch(/500 credits \(Starter package\) were added/);
    expect(await stat(page, "Balance")).toBe(before + 500);

    const ledgerRow = sectionOf(page, "Credit history").locator("tbody tr").filter({ hasText: sessionId });
    expect(await ledgerRow.innerText()).toMatch(/Purchase\s+Credits bought \(Starter package\)[\s\S]*\+500/);

    const paymentRow = sectionOf(page, "Payments").locator("tbody tr").filter({ hasText: sessionId });
    const payment = await paymentRow.innerText();
    expect(payment).toMatch(/Starter package/);
    expect(payment).toMatch(/\+500/);
    expect(payment).toMatch(/\$20\.00/);

    // Its invoice, with Stripe's hosted page and PDF.
    const invoices = sectionOf(page, "Invoices and receipts");
    const invoiceRow = invoices.locator("tbody tr").first();
    expect(await invoiceRow.innerText()).toMatch(/\$20\.00[\s\S]*Paid/);
    expect(await invoiceRow.getByRole("link", { name: /^View invoice/ }).getAttribute("href")).toMatch(
      new RegExp(`^${escapeRegExp(stage.stripe!.url)}/invoices/in_`),
    );
    expect(await invoiceRow.getByRole("link", { name: /^PDF of invoice/ }).getAttribute("href")).toMatch(/\/pdf$/);
  });

  it("draws the page after a purchase with no axe violation, in light and dark, on a desktop and a phone", async () => {
    const problems: string[] = [];
    for (const colorScheme of ["light", "dark"] as const) {
      for (const viewport of [DESKTOP, PHONE]) {
        const context = await stage.newContext({ viewport, colorScheme });
        await context.addCookies((await owner.cookies()).filter((c) => c.name === "bizbot_session"));
        const p = await context.newPage();
        watchConsole(p);
        await openBilling(p, `?checkout=success&session_id=${sessionId}`);
        await p.waitForLoadState("networkidle");
        const where = `${colorScheme} ${viewport.width}px`;
        await p.screenshot({ path: `${SHOTS}billing-purchased-${colorScheme}-${viewport === PHONE ? "phone" : "desktop"}.png`, fullPage: true });
        problems.push(...(await axeViolations(p)).map((v) => `${where}: ${v}`));
        if (viewport === PHONE) {
          await p.setViewportSize({ width: 360, height: 780 });
          const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          if (overflow > 0) problems.push(`${where}: ${overflow}px wider than a 360 px screen`);
        }
        await context.close();
      }
    }
    expect(problems).toEqual([]);
  });

  it("says the payment is on its way when Stripe's webhook is late, and shows the credits by itself once it lands", async () => {
    const stripe = stage.stripe!;
    await openBilling(page);
    const before = await stat(page, "Balance");
    const from = stripe.events.length;
    stripe.setWebhookUrl(null);
    await page.getByRole("button", { name: "Buy the Business package" }).click();
    await page.waitForURL((url) => url.href.startsWith(`${stripe.url}/checkout/`));
    await page.getByRole("button", { name: "Pay" }).click();
    await page.waitForURL((url) => url.href.startsWith(`${stage.portalUrl}/billing?checkout=success`));
    const notice = page.getByRole("status").filter({ hasText: "Payment received" });
    expect(await notice.innerText()).toMatch(/credits appear as soon as Stripe confirms it[\s\S]*updates by itself/);
    expect(await stat(page, "Balance")).toBe(before);

    const webhook = `${stage.platform.url}/webhooks/stripe`;
    stripe.setWebhookUrl(webhook);
    for (const event of stripe.events.slice(from)) expect((await stripe.deliver(event, { url: webhook })).status).toBe(200);
    // No reload: the page looks again by itself.
    await notice.filter({ hasText: "3,500 credits (Business package) were added" }).waitFor({ timeout: 15_000 });
    expect(await stat(page, "Balance")).toBe(before + 3500);
  });

  it("turns on auto top-up and shows why it failed when the saved card declines", async () => {
    const customer = stage.stripe!.checkoutSessions.get(sessionId)!.customer as string;
    stage.stripe!.setCardBehaviour(customer, "card_declined");
    await openBilling(page);
    const section = sectionOf(page, "Auto top-up");
    // A threshold the platform refuses is shown beside its field, what was typed kept.
    await section.getByLabel("When available credits fall under").fill("0");
    await section.getByRole("button", { name: "Save auto top-up" }).click();
    await section.getByRole("alert").filter({ hasText: "Please correct the highlighted fields" }).waitFor();
    expect(await section.getByLabel("When available credits fall under").getAttribute("aria-invalid")).toBe("true");
    await section.getByLabel("Buy credits automatically when they run low").check();
    // Far above the balance, so that the platform's next sweep buys at once.
    await section.getByLabel("When available credits fall under").fill("1000000");
    await section.getByLabel("Package to buy").selectOption("starter");
    await section.getByRole("button", { name: "Save auto top-up" }).click();
    await page.getByRole("status").filter({ hasText: "Auto top-up is on" }).waitFor();

    await until(async () => {
      await openBilling(page);
      return (await sectionOf(page, "Auto top-up").innerText()).includes("The last auto top-up failed");
    }, "the auto top-up's failure");
    await page.screenshot({ path: `${SHOTS}billing-top-up-failed-light-desktop.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    const failed = await sectionOf(page, "Auto top-up").innerText();
    expect(failed).toMatch(/Your card was declined/);
    expect(failed).toMatch(/Last attempt: \d/);
    // Declined: nothing was added.
    expect(await sectionOf(page, "Payments").innerText()).not.toMatch(/Bought by auto top-up/);

    // Turned off again, the failure shown (about the old setting) is cleared.
    await sectionOf(page, "Auto top-up").getByLabel("Buy credits automatically when they run low").uncheck();
    await sectionOf(page, "Auto top-up").getByRole("button", { name: "Save auto top-up" }).click();
    await page.getByRole("status").filter({ hasText: "Auto top-up is off" }).waitFor();
    expect(await sectionOf(page, "Auto top-up").innerText()).not.toMatch(/last auto top-up failed/);
    stage.stripe!.setCardBehaviour(customer, null);
  });

  it("subscribes to a monthly plan and opens Stripe's billing portal from it", async () => {
    await openBilling(page);
    const before = await stat(page, "Balance");
    await page.getByRole("button", { name: "Subscribe to the Starter plan" }).click();
    await page.waitForURL((url) => url.href.startsWith(`${stage.stripe!.url}/checkout/`));
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.waitForURL((url) => url.href.startsWith(`${stage.portalUrl}/billing?checkout=success`));
    await page.getByRole("heading", { level: 1, name: "Billing", exact: true }).waitFor();
    expect(await page.getByRole("status").filter({ hasText: "Payment received" }).innerText()).toMatch(/500 credits \(Starter plan\) were added/);
    expect(await stat(page, "Balance")).toBe(before + 500);

    const plan = sectionOf(page, "Monthly plan");
    const shown = await plan.innerText();
    expect(shown).toMatch(/Starter plan\s+Active/);
    expect(shown).toMatch(/500 credits every month for \$20\.00/);
    expect(shown).toMatch(/Renews on \d/);
    expect(await plan.getByRole("button", { name: /^Subscribe/ }).count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}billing-plan-light-desktop.png`, fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    expect(await sectionOf(page, "Credit history").innerText()).toMatch(/Monthly plan credits \(Starter plan\)[\s\S]*in_/);

    await plan.getByRole("button", { name: "Manage billing" }).click();
    await page.waitForURL((url) => url.href.startsWith(`${stage.stripe!.url}/billing-portal/`));
    expect(await page.locator("main").innerText()).toMatch(/active, renews on/);
    await page.getByRole("link", { name: "Return to BizBot" }).click();
    await page.waitForURL(`${stage.portalUrl}/billing`);
    await page.getByRole("heading", { level: 1, name: "Billing", exact: true }).waitFor();
  });

  it("buys and cancels without JavaScript, and says so when Stripe fails", async () => {
    const stripe = stage.stripe!;
    const context = await stage.newContext({ javaScriptEnabled: false });
    await context.addCookies((await owner.cookies()).filter((c) => c.name === "bizbot_session"));
    const p = await context.newPage();
    await openBilling(p);
    await p.getByRole("button", { name: "Buy the Professional package" }).click();
    await p.waitForURL((url) => url.href.startsWith(`${stripe.url}/checkout/`));
    await p.getByRole("heading", { name: "Pay $50.00 to BizBot" }).waitFor();
    await p.getByRole("link", { name: "Cancel and return to BizBot" }).click();
    await p.waitForURL(`${stage.portalUrl}/billing?checkout=cancelled`);
    expect(await p.getByRole("status").filter({ hasText: "cancelled" }).innerText()).toMatch(/nothing was charged/);

    // Stripe failing, the SDK's retries included: the refusal shows above the packages, and nothing else breaks.
    stripe.failNext(500, 3);
    await p.getByRole("button", { name: "Buy the Enterprise package" }).click();
    await p.getByRole("heading", { level: 1, name: "Billing", exact: true }).waitFor();
    expect(await sectionOf(p, "Buy credits").getByRole("alert").innerText()).toMatch(/Stripe could not be reached or failed/);
    // Sent to /billing, so the notice about the cancelled checkout is gone.
    expect(p.url()).toBe(`${stage.portalUrl}/billing`);
    expect(await p.getByRole("status").filter({ hasText: "cancelled" }).count()).toBe(0);
    // Invoices come from Stripe on every load: when they cannot, a quiet note stands in for them.
    stripe.failNext(500, 3);
    await openBilling(p);
    expect(await sectionOf(p, "Invoices and receipts").innerText()).toMatch(/Invoices could not be loaded from Stripe just now/);
    expect(await stat(p, "Balance")).toBeGreaterThan(0);
    await context.close();
  });

  it("shows a member everything and lets them buy nothing", async () => {
    const token = await sessionToken(owner);
    const colleague = uniqueEmail("billing-member");
    const invited = await trpcMutation(stage.platform.url, "team.invite", { input: { email: colleague, role: "member" }, headers: bearer(token) });
    expect(invited.status).toBe(200);
    const link = await linkInMail(stage, colleague, /signup\?invite=/);
    const context = await stage.newContext();
    const member = await context.newPage();
    watchConsole(member);
    await member.goto(link.replace(/\/login\?/, "/signup?"));
    await member.getByLabel("Password").fill(STRONG_PASSWORD);
    await member.getByRole("button", { name: "Sign up" }).click();
    await member.waitForURL(`${stage.portalUrl}/dashboard`);
    await openBilling(member);

    const main = await member.locator("main").innerText();
    expect(main).toMatch(/Owners and admins buy credits/);
    expect(main).toContain(sessionId);
    expect(main).toMatch(/Starter plan\s+Active/);
    for (const name of [/^Buy/, /^Subscribe/, "Manage billing", "Save auto top-up"]) {
      expect(await member.getByRole("button", { name }).count(), String(name)).toBe(0);
    }
    // Invoices come from Stripe for owners and admins only.
    expect(await member.getByRole("heading", { name: "Invoices and receipts" }).count()).toBe(0);
    // Nor by posting the form by hand: the platform refuses it (on a page of its own: the refusal's 403 is logged).
    const forger = await context.newPage();
    await forger.goto(`${stage.portalUrl}/billing`);
    const forged = await forger.evaluate(async () => {
      const res = await fetch("/billing", { method: "POST", body: new URLSearchParams({ intent: "checkout", product: "starter" }) });
      return { status: res.status, text: await res.text() };
    });
    expect(forged.status).toBe(403);
    expect(forged.text).toMatch(/owner or admin/);
    await context.close();
  });

  it("logged no error in the browser's console", () => {
    expect(consoleErrors).toEqual([]);
  });
});
