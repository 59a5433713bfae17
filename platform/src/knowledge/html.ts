import { Parser } from "htmlparser2";

// Elements whose content is never text for a reader; everything inside them is dropped.
const SKIPPED = new Set(["script", "style", "noscript", "template", "svg", "iframe", "object", "head", "nav", "footer", "form", "button", "select"]);
// Elements that end a line of text.
const BLOCKS = new Set([
  "p",
  "div",
  "section",
  "article",
  "main",
  "header",
  "aside",
  "li",
  "ul",
  "ol",
  "table",
  "tr",
  "blockquote",
  "pre",
  "dl",
  "dt",
  "dd",
  "figure",
  "figcaption",
  "details",
  "summary",
]);

/**
 * HTML as markdown-like text that keeps the structure chunking needs: headings become `#` lines, blocks become
 * paragraphs, and scripts, styles and page furniture are dropped. The title is the page's <title> or first <h1>.
 */
export function htmlToText(html: string): { title: string | null; text: string } {
  const out: string[] = [];
  let line = "";
  let skipDepth = 0;
  let heading = 0;
  let title: string | null = null;
  let inTitle = false;
  let firstH1: string | null = null;
  const endLine = () => {
    const trimmed = line.replace(/\s+/g, " ").trim();
    if (trimmed) out.push(heading ? `${"#".repeat(heading)} ${trimmed}` : trimmed);
    line = "";
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === "title") inTitle = true;
        if (SKIPPED.has(name)) skipDepth++;
        if (skipDepth) return;
        const level = /^h([1-6])$/.exec(name);
        if (level) {
          endLine();
          out.push("");
          heading = Number(level[1]);
        } else if (BLOCKS.has(name)) {
          endLine();
          out.push("");
        } else if (name === "br") endLine();
      },
      ontext(text) {
        if (inTitle) title = (title ?? "") + text;
        if (!skipDepth) line += text;
      },
      onclosetag(name) {
        if (name === "title") inTitle = false;
        if (SKIPPED.has(name)) {
          skipDepth = Math.max(0, skipDepth - 1);
          return;
        }
        if (skipDepth) return;
        if (/^h[1-6]$/.test(name)) {
          if (name === "h1" && firstH1 === null) firstH1 = line.replace(/\s+/g, " ").trim();
          endLine();
          out.push("");
          heading = 0;
        } else if (BLOCKS.has(name)) endLine();
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  endLine();
  const text = out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  const cleanTitle = (title as string | null)?.replace(/\s+/g, " ").trim() || firstH1 || null;
  return { title: cleanTitle, text };
}
