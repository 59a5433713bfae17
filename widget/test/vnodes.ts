// Reads Preact vnodes without a DOM: as escaped HTML for readable assertions, and as the list of every element
// and attribute they would create, for the XSS checks.
import type { ComponentChild, VNode } from "preact";

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Function components are called (hooks excepted: the components read here have none). */
function expand(node: ComponentChild): ComponentChild {
  if (node && typeof node === "object" && "type" in node && typeof node.type === "function") {
    return expand((node.type as (p: unknown) => ComponentChild)(node.props));
  }
  return node;
}

export function html(node: ComponentChild | ComponentChild[]): string {
  if (Array.isArray(node)) return node.map(html).join("");
  const n = expand(node);
  if (n === null || n === undefined || typeof n === "boolean") return "";
  if (typeof n === "string" || typeof n === "number" || typeof n === "bigint") return escapeHtml(String(n));
  if (Array.isArray(n)) return html(n);
  const v = n as VNode<Record<string, unknown>>;
  if (typeof v.type !== "string") return html(v.props.children as ComponentChild);
  const attrs = Object.entries(v.props)
    .filter(([k, value]) => k !== "children" && value !== undefined && value !== null && value !== false && typeof value !== "function")
    .map(([k, value]) => ` ${k}="${escapeHtml(String(value))}"`)
    .join("");
  return `<${v.type}${attrs}>${html(v.props.children as ComponentChild)}</${v.type}>`;
}

export interface Made {
  tag: string;
  attrs: Record<string, unknown>;
}

/** Every element the nodes make, with its attributes (handlers included, as functions). */
export function elements(node: ComponentChild | ComponentChild[], out: Made[] = []): Made[] {
  if (Array.isArray(node)) {
    for (const child of node) elements(child, out);
    return out;
  }
  const n = expand(node);
  if (!n || typeof n !== "object") return out;
  if (Array.isArray(n)) return elements(n, out);
  const v = n as VNode<Record<string, unknown>>;
  if (typeof v.type === "string") {
    const { children: _, ...attrs } = v.props;
    out.push({ tag: v.type, attrs });
  }
  return elements(v.props.children as ComponentChild, out);
}

/** The text the nodes show. */
export function text(node: ComponentChild | ComponentChild[]): string {
  return html(node)
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

/** What could run script in a browser: these tags, `on*` attributes, and hrefs or srcs that are not http(s)/mailto. */
export function scriptCapable(made: Made[]): Made[] {
  const TAGS = new Set([
    "script",
    "iframe",
    "object",
    "embed",
    "img",
    "svg",
    "math",
    "style",
    "link",
    "meta",
    "form",
    "base",
    "frame",
    "video",
    "audio",
    "source",
  ]);
  return made.filter(
    (m) =>
      TAGS.has(m.tag) ||
      Object.keys(m.attrs).some((k) => /^on/i.test(k) || k === "dangerouslySetInnerHTML" || k === "style" || k === "srcdoc") ||
      ["href", "src", "action", "formaction", "xlink:href"].some((k) => k in m.attrs && !/^(https?:|mailto:)/i.test(String(m.attrs[k]))),
  );
}
