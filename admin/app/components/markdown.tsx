// Markdown into React elements, for the model's answers and the agents' text: @bizbot/shared's renderer (the
// widget's too), which makes no HTML string and links nothing but http, https and mailto, bound to React and styled
// for the portal.
import { createMarkdown, type MarkdownOptions } from "@bizbot/shared";
import { createElement, type ReactNode } from "react";

// Focusable: a box that scrolls must be reachable by keyboard to be scrolled.
const scrolls = { tabIndex: 0 };

const { markdown } = createMarkdown<ReactNode>(createElement, {
  renumberHeadings: true,
  nofollow: true,
  attrs: {
    a: { className: "link" },
    heading: { className: "mt-4 mb-1 font-semibold first:mt-0" },
    pre: { ...scrolls, className: "overflow-x-auto rounded-md bg-gray-100 p-3 text-xs dark:bg-gray-800" },
    code: { className: "rounded bg-gray-100 px-1 text-[0.9em] dark:bg-gray-800" },
    hr: { className: "border-gray-200 dark:border-gray-800" },
    tableBox: { ...scrolls, className: "relative overflow-x-auto" },
    table: { className: "data-table" },
    blockquote: { className: "border-l-4 border-gray-300 pl-3 dark:border-gray-700" },
    ol: { className: "list-decimal space-y-1 pl-5" },
    ul: { className: "list-disc space-y-1 pl-5" },
  },
});

/**
 * `text` as markdown. `headingLevel` is the element its top headings become, the one below the section that shows
 * it; the levels the text uses are renumbered from there without gaps, so the page's outline stays in order.
 */
export function Markdown({ text, headingLevel = 3, cite }: { text: string } & MarkdownOptions<ReactNode>) {
  return createElement("div", { className: "space-y-2 text-sm leading-relaxed break-words" }, ...markdown(text, { headingLevel, cite }));
}
