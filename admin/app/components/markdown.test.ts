// The renderer's own behaviour is tested in packages/shared/src/markdown.test.ts; this is its React binding.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { Markdown } from "./markdown.tsx";

const html = (text: string, headingLevel?: number) => renderToStaticMarkup(createElement(Markdown, { text, ...(headingLevel ? { headingLevel } : {}) }));

describe("Markdown", () => {
  it("never turns the text into markup", () => {
    const out = html('<script>alert(1)</script> <img src=x onerror="alert(1)"> [x](javascript:alert(1))');
    expect(out).not.toContain("<script");
    expect(out).not.toContain("<img");
    expect(out).not.toContain("javascript:");
    expect(out).toContain("&lt;script&gt;");
  });

  it("links only http, https and mailto addresses, in a new tab, without an opener or a follow", () => {
    expect(html("[docs](https://example.com/a)")).toContain(
      '<a class="link" href="https://example.com/a" target="_blank" rel="noopener noreferrer nofollow">docs</a>',
    );
    expect(html("[mail](mailto:a@example.com)")).toContain('href="mailto:a@example.com"');
    expect(html("[x](data:text/html,hi)")).not.toContain("href");
  });

  it("renumbers the text's headings from the page's next level, without gaps", () => {
    const out = html("## Summary\n\n#### Detail", 3);
    expect(out).toContain("<h3");
    expect(out).toContain("<h4");
    expect(out).not.toContain("<h5");
  });

  it("reads lists, tables and code into the portal's styled elements, keyboard-scrollable where they scroll, with no key warnings", () => {
    const errors = vi.spyOn(console, "error");
    const out = html("- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n```\ncode <b>\n```");
    expect(out).toMatch(/<ul class="list-disc[^"]*"><li>a<\/li><li>b<\/li><\/ul>/);
    expect(out).toContain('<div tabindex="0" class="relative overflow-x-auto"><table class="data-table"><thead><tr><th scope="col">x</th>');
    expect(out).toMatch(/<pre tabindex="0" class="[^"]*"><code>code &lt;b&gt;<\/code><\/pre>/);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});
