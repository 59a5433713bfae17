// axe-core on the widget alone: axe follows its element into the open shadow root; the host page's own markup does
// not count.
import { axeViolations as scan, type Violation } from "@bizbot/testing";
import type { Page } from "playwright-core";

export { AXE_TAGS, type Violation } from "@bizbot/testing";

/** Scans the widget as it is drawn now, after its entrance animations end (an element fading in has, for a moment, too little contrast). */
export async function axeViolations(page: Page): Promise<Violation[]> {
  await settle(page);
  return scan(page, [["bizbot-widget"]]);
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
