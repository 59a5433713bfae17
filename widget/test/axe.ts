// axe-core in the browser tests: injected into the host page, run on the widget's element alone (axe follows it
// into its open shadow root; the host page's own markup does not count), and its violations read back as one line
// each: rule, impact, the element, what is wrong.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AxeResults, RunOptions } from "axe-core";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** WCAG 2.0 and 2.1, levels A and AA, and axe's best practices. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

const OPTIONS: RunOptions = { runOnly: { type: "tag", values: AXE_TAGS }, resultTypes: ["violations"] };

/** One line per element found wanting, e.g. `color-contrast (serious) at bizbot-widget ⟫ .send: … — Element has insufficient color contrast…`. */
export type Violation = string;

/**
 * Scans the widget as it is drawn now, after its entrance animations end (an element fading in has, for a moment, too
 * little contrast). axe.min.js is evaluated in the page through the DevTools protocol, which the page's CSP does not
 * govern, rather than added as a <script>, which it would.
 */
export async function axeViolations(page: Page): Promise<Violation[]> {
  await settle(page);
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    (options) =>
      (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResults> } }).axe.run({ include: [["bizbot-widget"]] }, options),
    OPTIONS,
  );
  return results.violations.flatMap((rule) =>
    rule.nodes.map((node) => {
      const target = node.target.map((t) => (Array.isArray(t) ? t.join(" ⟫ ") : String(t))).join(" | ");
      const why = (node.failureSummary ?? "").replace(/\s+/g, " ").trim();
      return `${rule.id} (${node.impact ?? rule.impact}) at ${target}: ${rule.help} — ${why}`;
    }),
  );
}

/** Waits until the widget's finite animations (the panel rising in) have run: endless ones (the typing dots) never do. */
async function settle(page: Page): Promise<void> {
  const deadline = Date.now() + 3_000;
  const running = () =>
    page.evaluate(() => {
      const root = document.querySelector("bizbot-widget")?.shadowRoot;
      return (root?.getAnimations() ?? []).some((a) => a.playState === "running" && a.effect?.getTiming().iterations !== Number.POSITIVE_INFINITY);
    });
  while ((await running()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
}
