// Accessibility of the widget in Chromium (issue 12's "Done when": axe-core finds no violations, in light and dark,
// on desktop and at 390 px; the whole flow works by keyboard alone). Each state a visitor can reach is scanned with
// axe-core, limited to the widget's element and its shadow root: the closed launcher, the chat with a streamed
// answer and its citation open, a handoff, the agents list, an agent's form (empty, then with its errors), a run's
// result, and the tenant's call to action once the free run is used. Then the same flow by keyboard alone, at both
// sizes, every Tab stop inside the panel and showing its focus ring.
import type { AnthropicStandIn } from "@bizbot/testing";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../test/axe.ts";
import { ask, browserTestsRun, CHROMIUM, closePage, DESKTOP, type HostPage, launcher, PHONE, type Stage, startStage, until } from "../test/stage.ts";

if (!browserTestsRun) console.warn(`[skipped] widget accessibility test: ${CHROMIUM} is absent (apt-get install chromium)`);

const CTA = { label: "Create an account", url: "https://signup.example/start" };
const DOCUMENT = {
  title: "Refund policy",
  format: "markdown",
  content: "# Refunds\nRefunds are paid back to the original card within five business days of the return arriving.",
};
/** An answer with what the chat draws: emphasis, a list, a link, code and a citation. */
const ANSWER = [
  "Refunds reach your card within **five** business days [1].",
  "\n\n- Return the item",
  "\n- Wait for the `REFUND` e-mail",
  "\n\nSee [the policy](https://shop.example/refunds).",
];
const RESULT = JSON.stringify({
  category: "refund",
  urgency: "normal",
  sentiment: "negative",
  summary: "Refund question",
  reply: "Refunds reach your card within **five** business days [1].\n\n| Step | When |\n|---|---|\n| Return arrives | Day 0 |\n| Refund paid | Day 5 |",
  nextSteps: ["Check the return arrived", "Write back in five days"],
  needsHuman: false,
});

let stage: Stage;
let model: AnthropicStandIn;

/** The tenant's page: a plain one (axe is evaluated through the DevTools protocol, so a CSP would not stop it). */
const hostPage = (path: string, tag: () => string): HostPage | undefined =>
  path === "/"
    ? {
        headers: {},
        html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><main><h1>A tenant's shop</h1></main>${tag()}</body></html>`,
      }
    : undefined;

/**
 * Presses Tab (Shift+Tab when `back`) until the focused element is the one `fn` is true of. Every stop on the way
 * must be inside the panel and show that it has focus (an outline). `fn` runs in the page, sent as source text.
 */
async function tabTo(page: Page, fn: (el: Element) => boolean, back = false): Promise<void> {
  const probe = `(() => {
    const el = document.querySelector("bizbot-widget").shadowRoot.activeElement;
    if (!el) return { at: document.activeElement?.outerHTML.slice(0, 80) ?? "nothing", inPanel: false, outline: "none", found: false };
    return { at: el.outerHTML.slice(0, 80), inPanel: el.closest("[role=dialog]") !== null, outline: getComputedStyle(el).outlineStyle, found: (${fn.toString()})(el) };
  })()`;
  for (let stops = 0; stops < 40; stops++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const focus = (await page.evaluate(probe)) as { at: string; inPanel: boolean; outline: string; found: boolean };
    expect(focus.inPanel, `focus left the panel, for ${focus.at}`).toBe(true);
    expect(focus.outline, `no focus ring on ${focus.at}`).not.toBe("none");
    if (focus.found) return;
  }
  throw new Error(`Tab never reached the element ${fn.toString()}`);
}

const SCHEMES = ["light", "dark"] as const;
const SIZES = [
  { name: "desktop", viewport: DESKTOP },
  { name: "390 px", viewport: PHONE },
] as const;

describe.skipIf(!browserTestsRun)("the widget's accessibility", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    // One free run of the Ticket Resolver per visitor, so that one run reaches the call to action.
    stage = await startStage({
      pages: hostPage,
      settings: { chat: { replyCredits: 0, botName: "Shop helper" }, trialRuns: { "ticket-resolver": 1 }, widget: { callToAction: CTA } },
      documents: [DOCUMENT],
    });
    model = stage.model;
  }, 120_000);

  afterAll(() => stage?.close(), 30_000);

  for (const scheme of SCHEMES) {
    for (const { name, viewport } of SIZES) {
      it(`has no axe violations in any state, ${scheme}, ${name}`, async () => {
        const page = await stage.newPage(viewport, { colorScheme: scheme });
        // Soft: every state's violations are listed, not only the first state's.
        const scan = async (state: string) => expect.soft(await axeViolations(page), state).toEqual([]);

        await page.goto(`${stage.pageOrigin}/`);
        await launcher(page).waitFor();
        await scan("the closed launcher");

        await launcher(page).click();
        await page.getByRole("dialog").waitFor();
        await scan("the panel, opened");

        model.script({ kind: "text", text: ANSWER, tokenDelayMs: 20 });
        await ask(page, "How long do refunds take?");
        await scan("the chat, with a streamed answer citing a source");

        await page.getByRole("button", { name: "Source 1: Refund policy › Refunds" }).click();
        await page.getByRole("region", { name: "[1] Refund policy › Refunds" }).waitFor();
        await scan("the chat, its citation's popover open");

        await page.getByRole("button", { name: "Talk to a person" }).first().click();
        await page.getByText("A person will get back to you.").waitFor();
        await scan("the chat, handed to a person");

        await page.getByRole("tab", { name: "Agents" }).click();
        await page.getByRole("button", { name: /Ticket Resolver/ }).waitFor();
        await scan("the agents list");

        await page.getByRole("button", { name: /Ticket Resolver/ }).click();
        await page.getByRole("heading", { name: "Ticket Resolver" }).waitFor();
        await scan("an agent's form");

        await page.getByRole("button", { name: "Run" }).click();
        await page.getByText("This field is required.").waitFor();
        await scan("an agent's form, a required field left empty");

        model.script(RESULT);
        await page.getByRole("textbox", { name: "Ticket" }).fill("Where is my refund?");
        await page.getByRole("button", { name: "Run" }).click();
        await page.getByRole("heading", { name: "Result" }).waitFor({ timeout: 20_000 });
        await page.getByRole("button", { name: "Copy text" }).click();
        await page.getByText("Copied.").waitFor();
        await scan("a finished run's result");

        await page.getByRole("button", { name: "New run" }).click();
        await page.getByRole("link", { name: CTA.label }).waitFor();
        await scan("the call to action, the free run used");

        await page.keyboard.press("Escape");
        await page.getByRole("dialog").waitFor({ state: "hidden" });
        await scan("the launcher, the panel closed again");

        await closePage(page);
      });
    }
  }

  for (const { name, viewport } of SIZES) {
    it(`works by keyboard alone, ${name}: chat, citation, agents, a run, the call to action, a person, closing`, async () => {
      const page = await stage.newPage(viewport);
      await page.goto(`${stage.pageOrigin}/`);
      // The launcher is the page's first stop; Enter opens the panel with focus in the message box.
      await until(page, (root) => root.querySelector(".l") !== null);
      await page.keyboard.press("Tab");
      await until(page, (root) => root.activeElement?.classList.contains("l") === true);
      await page.keyboard.press("Enter");
      await page.getByRole("dialog").waitFor();
      await until(page, (root) => root.activeElement?.tagName === "TEXTAREA");

      model.script({ kind: "text", text: ANSWER, tokenDelayMs: 20 });
      await page.keyboard.type("How long do refunds take?");
      await page.keyboard.press("Enter");
      await until(page, (root) => !root.querySelector("textarea")!.readOnly && root.querySelectorAll(".msg.bot:not(.typing)").length > 1, 15_000);

      // Back to the answer's citation: Enter shows its source, Escape hides it and leaves the panel open.
      await tabTo(page, (el) => el.getAttribute("aria-label")?.startsWith("Source 1") === true, true);
      await page.keyboard.press("Enter");
      await page.getByRole("region", { name: "[1] Refund policy › Refunds" }).waitFor();
      await page.keyboard.press("Escape");
      await page.getByRole("region", { name: "[1] Refund policy › Refunds" }).waitFor({ state: "detached" });
      expect(await page.getByRole("dialog").isVisible()).toBe(true);

      // Up to the tabs, across to the agents, on to the first agent.
      await tabTo(page, (el) => el.getAttribute("role") === "tab", true);
      await page.keyboard.press("ArrowRight");
      await page.getByRole("button", { name: /Ticket Resolver/ }).waitFor();
      await tabTo(page, (el) => el.classList.contains("agent"));
      await page.keyboard.press("Enter");
      await until(page, (root) => root.activeElement?.textContent === "Ticket Resolver");

      // Run with the required field empty: focus goes to it; filled, the run's result takes focus.
      await tabTo(page, (el) => el.textContent === "Run");
      await page.keyboard.press("Enter");
      await until(page, (root) => root.activeElement?.getAttribute("name") === "ticket");
      await page.keyboard.type("Where is my refund?");
      model.script(RESULT);
      await tabTo(page, (el) => el.textContent === "Run");
      await page.keyboard.press("Enter");
      await until(page, (root) => root.activeElement?.textContent === "Result", 20_000);
      await tabTo(page, (el) => el.textContent === "Copy text");
      await page.keyboard.press("Enter");
      await page.getByText("Copied.").waitFor();

      // A new run: focus goes back to the agent's heading, and the call to action has taken the Run button's place.
      await tabTo(page, (el) => el.textContent === "New run");
      await page.keyboard.press("Enter");
      await until(page, (root) => root.activeElement?.textContent === "Ticket Resolver");
      await tabTo(page, (el) => el.closest(".cta") !== null);
      expect(await page.getByRole("link", { name: CTA.label }).evaluate((a) => a === (a.getRootNode() as ShadowRoot).activeElement)).toBe(true);
      expect(await page.getByRole("button", { name: "Run", exact: true }).count()).toBe(0);
      await tabTo(page, (el) => el.textContent === "Back to the agents", true);
      await page.keyboard.press("Enter");
      await until(page, (root) => root.activeElement?.textContent === "Choose an agent");

      // A person, from the header: the chat comes back with the handoff in it.
      await tabTo(page, (el) => el.textContent === "Talk to a person", true);
      await page.keyboard.press("Enter");
      await page.getByText("A person will get back to you.").waitFor();
      if (viewport === PHONE) {
        // Full screen, Tab goes round the panel: back from its first stop to its last, the message box.
        await tabTo(page, (el) => el.tagName === "TEXTAREA", true);
        expect(await page.getByRole("button", { name: "Chat with us" }).isVisible()).toBe(false);
      }

      await page.keyboard.press("Escape");
      await page.getByRole("dialog").waitFor({ state: "hidden" });
      await until(page, (root) => root.activeElement?.classList.contains("l") === true);
      await closePage(page);
    });
  }
});
