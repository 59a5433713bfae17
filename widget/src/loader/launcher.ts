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
      // !important: `all` resets no custom property, and a page's `* { --b: transparent }` beats a normal :host one.
      sheet.replaceSync(`${css}:host{--b:${brand}!important;--o:${textOn(brand)}!important}`);
      text.textContent = button.title = newLabel;
      button.className = left ? "l left" : "l";
      button.hidden = hidden;
    },
  };
}

/**
 * Puts the element (a child of <html>) back when a single-page app's navigation removes it: <html>'s children
 * rewritten. A replaced <body> does not take it along. Watches that one child list, not the whole subtree: the
 * page's own rendering deeper down never wakes this.
 */
export function keepAttached(doc: Document, el: HTMLElement): void {
  const root = doc.documentElement;
  new MutationObserver(() => el.isConnected || root.appendChild(el)).observe(root, { childList: true });
}
