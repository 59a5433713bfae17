import { render } from "preact";
import { App } from "./app.tsx";
import type { WidgetConfig } from "./script-config.ts";

export const TAG = "bizbot-widget";

// Open shadow root: host-page CSS cannot leak in, while tests and devtools can still look inside.
export class BizBotWidget extends HTMLElement {
  config: WidgetConfig | undefined;
  readonly #root = this.attachShadow({ mode: "open" });

  connectedCallback(): void {
    // boot() sets a checked config before attaching; an element made by hand without one stays empty.
    if (this.config?.key) render(<App config={{ key: this.config.key, apiBase: this.config.apiBase }} />, this.#root);
  }

  disconnectedCallback(): void {
    render(null, this.#root);
  }
}

export function defineWidget(): void {
  if (!customElements.get(TAG)) customElements.define(TAG, BizBotWidget);
}
