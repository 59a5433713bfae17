// Markdown into a UI framework's elements, for the model's answers and the agents' text: the widget's Preact panel
// and the portal's React pages each bind it to their element factory (Preact's `h`, React's `createElement`). Never
// an HTML string: whatever the text holds (a model talked into writing <script>, an `onerror` attribute, an HTML
// entity) ends up as text nodes. The only attributes made from the text are hrefs, and only http, https and mailto
// ones, and a code block's language, of letters, digits and `+#.-` only.
//
// What it reads: paragraphs (a single newline is a line break, as people write chat), headings, emphasis,
// strikethrough, code spans and fenced blocks, lists (nested by indentation), block quotes, rules, pipe tables,
// links, autolinks and bare URLs, and `[n]` citation markers.
//
// The text is the model's, so it may be hostile: every pattern here takes time linear in the line it reads (no
// search that, failing, is tried again from each later position), and nesting stops at MAX_DEPTH levels.
//
// Free of any framework, and of zod: the widget imports it alone (`@bizbot/shared/markdown`), within its size budget.
// Attributes are named as both frameworks take them (`className`; Preact sets it as the DOM property).

export type ElementProps = Record<string, unknown>;

/**
 * Preact's `h` or React's `createElement`. Children come as separate arguments, never as an array, so React asks
 * for no keys: the text's order is the only order there is.
 */
export type ElementFactory<Node> = (type: string, props: ElementProps | null, ...children: (Node | string)[]) => Node;

/** The parts a binding may give props of its own: tags, but `heading` for h1–h6 and `tableBox` for the box a table scrolls in. `code` is a code span; a fenced block is reached through its `pre`. */
export type MarkdownPart = "a" | "blockquote" | "code" | "heading" | "hr" | "ol" | "pre" | "table" | "tableBox" | "ul";

/** How a UI shows the markdown: set once, where it binds its element factory. */
export interface MarkdownStyle {
  /** Props for each part (classes, say), beneath those the text sets: a link's href, target and rel, a cell's alignment class. */
  attrs?: { [part in MarkdownPart]?: ElementProps };
  /**
   * The levels the text's headings use, renumbered in order from `headingLevel` without gaps, so the page's outline
   * stays in order. Otherwise `#` is `headingLevel`, `##` the level below it, and so on.
   */
  renumberHeadings?: boolean;
  /** Links' rel says nofollow too. */
  nofollow?: boolean;
}

export interface MarkdownOptions<Node> {
  /** What a `[n]` marker becomes: a link to its source, say. Undefined keeps the text. */
  cite?: ((n: number) => Node | undefined) | undefined;
  /** The heading element `#` maps to: below the title of what shows the text. */
  headingLevel?: number | undefined;
}

/** The link's address if it is http, https or mailto, normalised by the URL parser; anything else is no link. */
export function safeHref(raw: string): string | undefined {
  try {
    const url = new URL(raw.trim());
    return url.protocol === "https:" || url.protocol === "http:" || url.protocol === "mailto:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** `markdown(text)` makes the UI's nodes; `link(href, ...children)` the same link as the text's, for the UI's own. */
export function createMarkdown<Node>(h: ElementFactory<Node>, style: MarkdownStyle = {}) {
  const binding: Binding = { ...style, h: h as ElementFactory<unknown> };
  return {
    markdown(text: string, { cite, headingLevel = 3 }: MarkdownOptions<Node> = {}): (Node | string)[] {
      const lines = text.replace(/\r\n?/g, "\n").replace(/\t/g, "    ").split("\n");
      const levels = style.renumberHeadings ? [...new Set(lines.flatMap((l) => HEADING.exec(l)?.[1]?.length ?? []))].sort((a, b) => a - b) : [1, 2, 3, 4, 5, 6];
      // A level missing from `levels` (a heading in a quote, under renumbering) is the lowest there is.
      const heading = (level: number) => {
        const i = levels.indexOf(level);
        return i < 0 ? 6 : Math.min(6, headingLevel + i);
      };
      return blocks(lines, { ...binding, cite, heading }) as (Node | string)[];
    },
    link: (href: string, ...children: (Node | string)[]): Node => link(binding, href, ...children) as Node,
  };
}

/** Nodes are opaque here: the parser only tells strings (text) from the rest. */
interface Binding extends MarkdownStyle {
  h: ElementFactory<unknown>;
}
interface Context extends Binding {
  cite: ((n: number) => unknown) | undefined;
  /** The heading element a markdown level becomes. */
  heading: (level: number) => number;
}

/** An element with the props its binding gives `part`, beneath those the text sets. */
function el(o: Binding, part: MarkdownPart, props: ElementProps | null, children: unknown[], tag: string = part) {
  const own = o.attrs?.[part];
  return o.h(tag, own ? { ...own, ...props } : props, ...children);
}

const link = (o: Binding, href: string, ...children: unknown[]) =>
  el(o, "a", { href, target: "_blank", rel: o.nofollow ? "noopener noreferrer nofollow" : "noopener noreferrer" }, children);

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)/;
// The text runs to the end of the line: its closing #s are cut by headingText, since a lazy match followed by
// optional trailing parts would be tried again at each of a long line's spaces.
const HEADING = /^ {0,3}(#{1,6})\s+([\s\S]*)$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^( *)([-*+]|\d{1,9}[.)])\s+(.*)$/;
// `| :-- | --: |`, written with no two runs of spaces side by side (their splits would be tried one by one).
const TABLE_RULE = /^\s*(?:\|\s*)?:?-+:?(?:\s*\|\s*:?-+:?)*\s*(?:\|\s*)?$/;
/** Quotes and lists nest this deep at most; deeper markers are shown as text (each level re-reads what it holds). */
const MAX_DEPTH = 8;

const indentOf = (line: string) => /^ */.exec(line)![0].length;
/** A heading's text without its closing sequence (`## Title ##`); the #s of "C#" are not one (no space before them). */
function headingText(raw: string): string {
  const text = raw.trimEnd();
  let end = text.length;
  while (end > 0 && text[end - 1] === "#") end--;
  return end > 0 && end < text.length && /\s/.test(text[end - 1]!) ? text.slice(0, end).trimEnd() : text;
}
const startsBlock = (line: string) => FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line);
const cells = (row: string) =>
  row
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((c) => c.trim());

/** Lines with a line break between each two, every line read inline. */
const broken = (lines: string[], o: Context) => lines.flatMap((l, j) => (j > 0 ? [o.h("br", null), ...inline(l, o)] : inline(l, o)));

function blocks(lines: string[], o: Context, depth = 0): unknown[] {
  const { h } = o;
  const out: unknown[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    let m: RegExpExecArray | null;
    if (!line.trim()) {
      i++;
    } else if ((m = FENCE.exec(line))) {
      const fence = m[1]!;
      const body: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith(fence); i++) body.push(lines[i]!);
      i++;
      out.push(el(o, "pre", null, [h("code", m[2] ? { "data-lang": m[2] } : null, body.join("\n"))]));
    } else if ((m = HEADING.exec(line))) {
      out.push(el(o, "heading", null, inline(headingText(m[2]!), o), `h${o.heading(m[1]!.length)}`));
      i++;
    } else if (RULE.test(line)) {
      out.push(el(o, "hr", null, []));
      i++;
    } else if (line.includes("|") && TABLE_RULE.test(lines[i + 1] ?? "") && (lines[i + 1] ?? "").includes("-")) {
      const head = cells(line);
      const align = cells(lines[i + 1]!).map((c) => (c.endsWith(":") ? (c.startsWith(":") ? "a-center" : "a-right") : undefined));
      const rows: string[][] = [];
      for (i += 2; i < lines.length && lines[i]!.includes("|") && lines[i]!.trim(); i++) rows.push(cells(lines[i]!));
      const cell = (tag: "th" | "td", c: string, j: number) => h(tag, { className: align[j], scope: tag === "th" ? "col" : undefined }, ...inline(c, o));
      const table = el(o, "table", null, [
        h("thead", null, h("tr", null, ...head.map((c, j) => cell("th", c, j)))),
        h("tbody", null, ...rows.map((r) => h("tr", null, ...head.map((_, j) => cell("td", r[j] ?? "", j))))),
      ]);
      out.push(el(o, "tableBox", null, [table], "div"));
    } else if (depth < MAX_DEPTH && QUOTE.test(line)) {
      const quoted: string[] = [];
      for (; i < lines.length && QUOTE.test(lines[i]!); i++) quoted.push(lines[i]!.replace(QUOTE, ""));
      out.push(el(o, "blockquote", null, blocks(quoted, o, depth + 1)));
    } else if (ITEM.test(line)) {
      i = list(lines, i, o, out, depth);
    } else {
      const para = [line.trim()];
      for (i++; i < lines.length && lines[i]!.trim() && !startsBlock(lines[i]!); i++) para.push(lines[i]!.trim());
      out.push(h("p", null, ...broken(para, o)));
    }
  }
  return out;
}

/** A list from line `i`; its items' deeper-indented lines are their own blocks (a nested list). Returns the next line. */
function list(lines: string[], i: number, o: Context, out: unknown[], depth: number): number {
  const first = ITEM.exec(lines[i]!)!;
  const indent = first[1]!.length;
  const ordered = /\d/.test(first[2]!);
  const items: string[][] = [];
  while (i < lines.length) {
    const line = lines[i]!;
    const m = ITEM.exec(line);
    if (m && m[1]!.length <= indent + 1) {
      if (/\d/.test(m[2]!) !== ordered) break;
      items.push([m[3]!]);
    } else if (!line.trim()) {
      // A blank line ends the list unless more of it follows.
      const next = lines[i + 1] ?? "";
      if (!next.trim() || (indentOf(next) <= indent && !ITEM.test(next))) break;
    } else if (indentOf(line) > indent) {
      items[items.length - 1]!.push(line);
    } else if (!startsBlock(line)) {
      items[items.length - 1]!.push(line.trim());
    } else {
      break;
    }
    i++;
  }
  const start = ordered ? Number.parseInt(first[2]!, 10) : 1;
  const children = items.map(([head, ...rest]) => {
    if (!rest.length) return o.h("li", null, ...inline(head!, o));
    // Too deep: the item's further lines are shown as its text, a line each.
    if (depth >= MAX_DEPTH)
      return o.h(
        "li",
        null,
        ...broken(
          [head!, ...rest].filter((l) => l.trim()).map((l) => l.trim()),
          o,
        ),
      );
    const shift = Math.min(...rest.filter((l) => l.trim()).map(indentOf));
    return o.h("li", null, ...blocks([head!, ...rest.map((l) => l.slice(shift))], o, depth + 1));
  });
  out.push(ordered ? el(o, "ol", start !== 1 ? { start } : null, children) : el(o, "ul", null, children));
  return i;
}

/**
 * An inline rule: the characters it can start with, where it matches (sticky: at the position only), what it makes
 * (a string is text; an array, nodes and text side by side), whether that is a link (none inside a link's text),
 * and, for a rule that searches ahead for its closing delimiter, its opening delimiter alone (`open`).
 *
 * Such a search, failing, has read the rest of the text; tried again from every later opener, a line of `**x ` would
 * cost the square of its length. Whether a closing delimiter counts never depends on where its opener stands (only on
 * the characters beside it), so once the search from one opener finds none, no later opener of the same delimiter
 * can: inline() does not search for it again.
 */
interface Rule {
  starts: string;
  re: RegExp;
  make(m: RegExpExecArray, o: Context): unknown;
  link?: boolean;
  open?: RegExp;
}

const CODE: Rule = { starts: "`", re: /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/y, open: /`+(?=[^`])/y, make: (m, o) => el(o, "code", null, [m[2]!.trim() || m[2]]) };

/** `[text](href)`: once it fails from a `[`, it fails from every `[` before the `]` (or line end) that one reached. */
const LINK: Rule = {
  starts: "[",
  re: /\[([^\]\n]*)\]\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))*)>?(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)/y,
  link: true,
  make(m, o) {
    const href = safeHref(m[2]!);
    // Inside a link, no further links: nested anchors are invalid HTML.
    const text = inline(m[1]!, { ...o, cite: undefined }, true);
    return href ? link(o, href, ...text) : text;
  },
};
const LINK_TEXT_END = /[\]\n]/g;

/** Tried in this order where one of their characters stands. */
const RULES: Rule[] = [
  { starts: "\\", re: /\\([!-/:-@[-`{-~])/y, make: (m) => m[1] },
  CODE,
  { starts: "*_", re: /(\*\*|__)(?=\S)([\s\S]*?\S)\1/y, open: /(\*\*|__)(?=\S)/y, make: (m, o) => o.h("strong", null, ...inline(m[2]!, o)) },
  { starts: "~", re: /~~(?=\S)([\s\S]*?\S)~~/y, open: /~~(?=\S)/y, make: (m, o) => o.h("del", null, ...inline(m[1]!, o)) },
  { starts: "*", re: /\*(?=[^\s*])([\s\S]*?[^\s*])\*/y, open: /\*(?=[^\s*])/y, make: (m, o) => o.h("em", null, ...inline(m[1]!, o)) },
  { starts: "_", re: /_(?=[^\s_])([\s\S]*?[^\s_])_(?![\w])/y, open: /_(?=[^\s_])/y, make: (m, o) => o.h("em", null, ...inline(m[1]!, o)) },
  { starts: "[", re: /\[(\d{1,3})\](?!\()/y, make: (m, o) => o.cite?.(Number(m[1])) ?? m[0] },
  LINK,
  { starts: "<", re: /<((?:https?|mailto):[^\s<>]+)>/iy, link: true, make: (m, o) => linkOrText(o, m[1]!, m[0]) },
  // A bare URL ends before trailing punctuation: "see https://x.example/a." links https://x.example/a.
  { starts: "h", re: /https?:\/\/[^\s<>]*[^\s<>.,;:!?'")\]*_]/iy, link: true, make: (m, o) => linkOrText(o, m[0], m[0]) },
];

const linkOrText = (o: Context, url: string, text: string) => {
  const href = safeHref(url);
  return href ? link(o, href, url) : text;
};

function inline(text: string, o: Context, inLink = false): unknown[] {
  const out: unknown[] = [];
  let plain = "";
  let at = 0;
  /** Openers (rule and delimiter) whose search found no closing delimiter: none is in the rest of the text. */
  const unclosed = new Set<string>();
  /** No link starts before this position (see LINK). */
  let noLinkBefore = 0;
  // Where a rule may start; `h` where a bare URL does.
  const special = /[\\`*_~[<]|h(?=[tT]{2}[pP][sS]?:\/\/)/g;
  for (let m = special.exec(text); m; m = special.exec(text)) {
    const pos = m.index;
    const c = m[0];
    // `_` inside a word (snake_case) is not emphasis.
    if (c === "_" && pos > 0 && /\w/.test(text[pos - 1]!)) continue;
    for (let i = 0; i < RULES.length; i++) {
      const rule = RULES[i]!;
      if (!rule.starts.includes(c) || (inLink && rule.link) || (rule === LINK && pos < noLinkBefore)) continue;
      let key = "";
      if (rule.open) {
        rule.open.lastIndex = pos;
        const open = rule.open.exec(text);
        if (!open) continue;
        key = i + open[0];
        // A run of backticks that closes nothing is text, all of it: its shorter tails are not openers either.
        if (rule === CODE) special.lastIndex = pos + open[0].length;
        if (unclosed.has(key)) continue;
      }
      rule.re.lastIndex = pos;
      const r = rule.re.exec(text);
      if (!r) {
        if (key) unclosed.add(key);
        if (rule === LINK) {
          LINK_TEXT_END.lastIndex = pos + 1;
          noLinkBefore = LINK_TEXT_END.exec(text)?.index ?? text.length;
        }
        continue;
      }
      plain += text.slice(at, pos);
      for (const node of [rule.make(r, o)].flat()) {
        if (typeof node === "string") plain += node;
        else {
          if (plain) out.push(plain);
          plain = "";
          out.push(node);
        }
      }
      at = special.lastIndex = pos + r[0].length;
      break;
    }
  }
  plain += text.slice(at);
  if (plain) out.push(plain);
  return out;
}
