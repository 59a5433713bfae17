// axe-core in the browser tests of the widget and the portal: evaluated in the page through the DevTools protocol
// (which the page's CSP does not govern, unlike a <script>), run on a part of the page or all of it, and its
// violations read back as one line each: rule, impact, the element, what is wrong.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AxeResults, RunOptions } from "axe-core";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** WCAG 2.0 and 2.1, levels A and AA, and axe's best practices. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

const OPTIONS: RunOptions = { runOnly: { type: "tag", values: AXE_TAGS }, resultTypes: ["violations"] };

/** One line per element found wanting, e.g. `color-contrast (serious) at main ⟫ .send: … — Element has insufficient color contrast…`. */
export type Violation = string;

/** Scans what is drawn now: the elements matching `include` (axe follows open shadow roots), or the whole page. */
export async function axeViolations(page: Page, include?: string[][]): Promise<Violation[]> {
  if (!(await page.evaluate(() => "axe" in globalThis))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    ([context, options]) => {
      // Runs in the page; this package is typed without the DOM.
      const page = globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResults> }; document: unknown };
      return page.axe.run(context ?? page.document, options);
    },
    [include ? { include } : null, OPTIONS] as const,
  );
  return results.violations.flatMap((rule) =>
    rule.nodes.map((node) => {
      const target = node.target.map((t) => (Array.isArray(t) ? t.join(" ⟫ ") : String(t))).join(" | ");
      const why = (node.failureSummary ?? "").replace(/\s+/g, " ").trim();
      return `${rule.id} (${node.impact ?? rule.impact}) at ${target}: ${rule.help} — ${why}`;
    }),
  );
}
