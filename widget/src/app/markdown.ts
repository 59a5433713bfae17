// Markdown into Preact nodes, for the model's answers and the agents' text: @bizbot/shared's renderer, which makes
// no HTML string and links nothing but http, https and mailto, bound to Preact. Imported by its own entry point:
// the package's index would bring zod into the bundle.
import { createMarkdown } from "@bizbot/shared/markdown";
import { type ComponentChild, h } from "preact";

export { safeHref } from "@bizbot/shared/markdown";

/** `markdown(text, { cite, headingLevel })`; `link(href, ...children)` opens a new tab without an opener, as the answers' links do. */
export const { markdown, link } = createMarkdown<ComponentChild>(h, { attrs: { tableBox: { className: "table" } } });
