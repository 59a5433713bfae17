// The whole journey of a new customer, in the browser, against the real platform with the scripted model: sign up,
// make a key, style the widget and see it in the preview, teach the bot and try a question, enable an agent and run
// it, see the usage and the charge, invite a colleague who can look but not change, and find all of it in the audit log.
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkInMail, STRONG_PASSWORD, signUp, uniqueEmail, until } from "./helpers.ts";
import { sessionToken } from "./seed.ts";
import { browserTestsRun, type Stage, startStage } from "./stage.ts";

let stage: Stage;
beforeAll(async () => {
  if (browserTestsRun) stage = await startStage();
});
afterAll(() => stage?.close());

/** The part of the page under the heading `name`: a card or section and its forms. */
const sectionOf = (page: Page, name: string): Locator =>
  page
    .locator("section, div.card")
    .filter({ has: page.getByRole("heading", { name, exact: true }) })
    .last();

async function toast(page: Page): Promise<string> {
  return page.getByRole("status").filter({ hasNotText: /^$/ }).last().innerText();
}

/** Follows the portal's navigation to a page, and waits until it is drawn (its h1). */
async function open(page: Page, link: string, heading = link): Promise<void> {
  await page.getByRole("link", { name: link, exact: true }).first().click();
  await page.getByRole("heading", { level: 1, name: heading, exact: true }).waitFor();
}

describe.runIf(browserTestsRun)("a new customer's journey", () => {
  it("signs up, sets everything up, runs an agent, pays for it, brings a read-only colleague, and finds it all in the audit log", async () => {
    const owner = uniqueEmail("journey");
    const context = await stage.newContext();
    const page = await context.newPage();

    // Sign up and land on the dashboard.
    await signUp(page, stage, { company: "Journey Outfitters", email: owner });
    await page.getByRole("heading", { level: 1, name: /Dashboard/ }).waitFor();
    const tenantId = (
      (await (await fetch(`${stage.platform.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${await sessionToken(context)}` } })).json()) as {
        result: { data: { memberships: Array<{ tenantId: string }> } };
      }
    ).result.data.memberships[0]!.tenantId;

    // Create a key: shown once.
    await open(page, "API keys");
    const create = sectionOf(page, "Create a key");
    await create.getByLabel("Name").fill("Journey shop");
    await create.getByLabel("Allowed origins").fill("https://journey.example.com");
    await create.getByRole("button", { name: "Create key" }).click();
    const shown = await page
      .locator("code", { hasText: /^pk_live_/ })
      .first()
      .innerText();
    expect(shown).toMatch(/^pk_live_[a-z2-7]{30,}$/);
    await page.reload();
    expect(await page.locator("code", { hasText: shown }).count()).toBe(0);

    // Change a widget setting and see it in the preview, drawn by the real widget.js.
    await open(page, "Widget");
    await page.getByLabel("Launcher label").fill("Ask Journey");
    await page.getByRole("button", { name: "Save widget" }).click();
    expect(await toast(page)).toMatch(/Widget saved/);
    const preview = page.frameLocator('iframe[title="Live preview of your widget"]');
    await until(
      async () =>
        (
          await preview
            .locator("bizbot-widget")
            .evaluate((el) => el.shadowRoot?.textContent ?? "")
            .catch(() => "")
        ).includes("Ask Journey"),
      "the preview's launcher to read the new label",
    );

    // Add knowledge and try a question.
    await open(page, "Knowledge");
    const paste = page.locator("form").filter({ has: page.getByRole("button", { name: "Add document" }) });
    await paste.getByLabel("Title").fill("Shipping times");
    await paste.getByLabel("Content").fill("Every order ships within two working days by tracked courier, and arrives in three to five days.");
    await paste.getByRole("button", { name: "Add document" }).click();
    await until(async () => {
      if ((await page.locator("table, ul").filter({ hasText: "Shipping times" }).filter({ hasText: "Ready" }).count()) > 0) return true;
      await page.reload();
      return false;
    }, "the document to be indexed");
    const question = page.getByRole("searchbox", { name: "Question" });
    await question.fill("How fast do orders ship?");
    await question.press("Enter");
    await page
      .getByRole("region", { name: "Try a question" })
      .getByText(/two working days/)
      .first()
      .waitFor();

    // Enable an agent (off first, then on again) and run it.
    await open(page, "Agents");
    await page.getByRole("button", { name: "Disable Report Generator" }).click();
    await page.getByRole("button", { name: "Enable Report Generator" }).waitFor();
    await page.getByRole("button", { name: "Enable Report Generator" }).click();
    await page.getByRole("button", { name: "Disable Report Generator" }).waitFor();
    // Credits first: the operator grants them (payments arrive with billing).
    await stage.platform.cli(["credits", "grant", "--tenant", tenantId, "--amount", "100", "--reason", "journey credits"]);
    await page.goto(`${stage.portalUrl}/agents/ticket-resolver`);
    await page.getByLabel("Ticket").fill("My parcel has not arrived after a week. Where is it?");
    await page.getByRole("button", { name: "Run Ticket Resolver" }).click();
    await page.waitForURL(/[?&]run=run_/);
    await until(async () => /Finished/.test(await sectionOf(page, "Run").innerText()), "the run to finish");
    expect(await sectionOf(page, "Run").innerText()).toMatch(/Result/);

    // The usage on the dashboard, and the charge in the ledger.
    await open(page, "Dashboard");
    expect(await page.locator("main").innerText()).toMatch(/Ticket Resolver/);
    await open(page, "Billing");
    const ledger = await page.locator("main").innerText();
    expect(ledger).toMatch(/Agent run/);
    expect(ledger).toMatch(/journey credits/);
    expect(ledger).toMatch(/97/);

    // Invite a member, who signs up from the e-mail and cannot create keys.
    const colleague = uniqueEmail("colleague");
    await open(page, "Team");
    await page.getByLabel("Email").fill(colleague);
    await page.getByRole("button", { name: "Send invitation" }).click();
    expect(await toast(page)).toMatch(/invit/i);
    const invite = await linkInMail(stage, colleague, /signup\?invite=/);
    const memberContext = await stage.newContext();
    const member = await memberContext.newPage();
    await member.goto(invite.replace(/\/login\?/, "/signup?"));
    expect(await member.getByLabel("Email").inputValue()).toBe(colleague);
    await member.getByLabel("Password").fill(STRONG_PASSWORD);
    await member.getByRole("button", { name: "Sign up" }).click();
    await member.waitForURL(`${stage.portalUrl}/dashboard`);
    await member.getByText(/see everything but change nothing/).waitFor();
    await member.goto(`${stage.portalUrl}/keys`);
    expect(await member.getByRole("button", { name: "Create key" }).count()).toBe(0);
    // Nor by posting the form by hand: the platform refuses it.
    const forged = await member.evaluate(async () => {
      const body = new URLSearchParams({ intent: "create", name: "Sneaky", kind: "secret", mode: "live" });
      const res = await fetch("/keys", { method: "POST", body });
      return { status: res.status, text: await res.text() };
    });
    expect(forged.text).toMatch(/owner or admin/);
    await memberContext.close();

    // Each of these actions, in the audit log.
    await open(page, "Audit log");
    const log = await page.locator("main").innerText();
    for (const action of [
      "Created the workspace",
      "Created an API key",
      "Changed the settings",
      "Added a knowledge document",
      "Ran an agent",
      "Invited someone to the team",
      "Joined the team by invitation",
    ]) {
      expect(log, action).toContain(action);
    }
    expect(log).toContain(owner);
    expect(log).toContain(colleague);
    await context.close();
  });
});
