import { render } from "preact";
import { App } from "./app.tsx";
import type { WidgetConfig } from "./script-config.ts";

export const TAG = "bizbot-widget";

// Open shadow root: host-page CSS cannot leak in, while tests and devtools can still look inside.
export class BizBotWidget extends HTMLElement {
  config: WidgetConfig | undefined;
  readonly #root = this.attachShadow({ mode: "open" });

  connectedCallback(): void {
    render(<App />, this.#root);
  }

  disconnectedCallback(): void {
    render(null, this.#root);
  }
}

export function defineWidget(): void {
  if (!customElements.get(TAG)) customElements.define(TAG, BizBotWidget);
}
