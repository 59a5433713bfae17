// The custom element, its open shadow root, its stylesheets and the launcher button. Every style is in a
// constructable stylesheet adopted by the shadow root: no <style> element and no style attribute, which a CSP
// allowing styles by nonce only would block.
import { brandOf, textOn } from "../color.ts";
import css from "./launcher.css?inline";

export const TAG = "bizbot-widget";

export interface Launcher {
  el: HTMLElement;
  root: ShadowRoot;
  button: HTMLButtonElement;
  paint(brandColor: string, label: string, left: boolean, hidden: boolean): void;
}

export function createLauncher(doc: Document, onClick: () => void, onEscape: () => void): Launcher {
  const make = <K extends keyof HTMLElementTagNameMap>(name: K, parent: Node, className = "") => {
    const el = doc.createElement(name);
    el.className = className;
    parent.appendChild(el);
    return el;
  };
  if (!customElements.get(TAG)) customElements.define(TAG, class extends HTMLElement {});
  const el = doc.createElement(TAG);
  const root = el.attachShadow({ mode: "open" });
  const sheet = new CSSStyleSheet();
  root.adoptedStyleSheets = [sheet];

  const button = make("button", root);
  button.type = "button";
  button.setAttribute("aria-haspopup", "dialog");
  button.setAttribute("aria-expanded", "false");
  // The speech-bubble icon is drawn by the stylesheet (.i), so the loader carries no SVG.
  make("i", button, "i");
  const text = make("span", button);
  button.onclick = onClick;
  // A block body: a handler property that returns false cancels the key's default, and Enter would not click.
  button.onkeydown = (e) => {
    if (e.key === "Escape") onEscape();
  };

  return {
    el,
    root,
    button,
    paint(brandColor, newLabel, left, hidden) {
      const brand = brandOf(brandColor);
      sheet.replaceSync(`${css}:host{--b:${brand};--o:${textOn(brand)}}`);
      text.textContent = button.title = newLabel;
      button.className = left ? "l left" : "l";
      button.hidden = hidden;
    },
  };
}

/**
 * Puts the element back when a single-page app's navigation removes it (the body replaced, or its children
 * rewritten). Watches the two child lists that can lose it, not the whole subtree: the page's own rendering
 * deeper down never wakes this.
 */
export function keepAttached(doc: Document, el: HTMLElement): void {
  const observer = new MutationObserver(() => {
    if (!el.isConnected && doc.body) doc.body.appendChild(el);
    watch();
  });
  const watch = () => {
    observer.disconnect();
    observer.observe(doc.documentElement, { childList: true });
    if (doc.body) observer.observe(doc.body, { childList: true });
  };
  watch();
}
