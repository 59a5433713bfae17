import { describe, expect, it } from "vitest";
import { createMarkdown, type ElementProps, type MarkdownStyle, safeHref } from "./markdown.ts";

/** The renderer bound to plain objects, as a UI's factory would bind it to its elements. */
interface El {
  tag: string;
  props: ElementProps;
  children: (El | string)[];
}
const factory = (tag: string, props: ElementProps | null, ...children: (El | string)[]): El => ({ tag, props: props ?? {}, children });
const bind = (style?: MarkdownStyle) => createMarkdown<El>(factory, style);
const { markdown, link } = bind();

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** As a DOM would show it: `className` is the class attribute. */
function html(nodes: (El | string)[]): string {
  return nodes
    .map((n) => {
      if (typeof n === "string") return escapeHtml(n);
      const attrs = Object.entries(n.props)
        .filter(([, value]) => value !== undefined && value !== null && value !== false)
        .map(([k, value]) => ` ${k === "className" ? "class" : k}="${escapeHtml(String(value))}"`)
        .join("");
      return `<${n.tag}${attrs}>${html(n.children)}</${n.tag}>`;
    })
    .join("");
}
const text = (nodes: (El | string)[]): string => nodes.map((n) => (typeof n === "string" ? n : text(n.children))).join("");
const elements = (nodes: (El | string)[]): El[] => nodes.flatMap((n) => (typeof n === "string" ? [] : [n, ...elements(n.children)]));
const md = (s: string) => html(markdown(s));

describe("markdown", () => {
  it("renders paragraphs with line breaks, emphasis, code and strikethrough", () => {
    expect(md("Hello **bold** and *em* and _em_ and `a < b`.\nNext line\n\nNew ~~old~~ para")).toBe(
      "<p>Hello <strong>bold</strong> and <em>em</em> and <em>em</em> and <code>a &lt; b</code>.<br></br>Next line</p><p>New <del>old</del> para</p>",
    );
    // Underscores inside words, lone asterisks and unclosed markers stay text.
    expect(md("snake_case_name costs 2 * 3 and **unclosed")).toBe("<p>snake_case_name costs 2 * 3 and **unclosed</p>");
    expect(md("\\*not em\\*")).toBe("<p>*not em*</p>");
  });

  it("renders headings below the title of what shows them, rules and quotes", () => {
    expect(md("# Top\n## Sub ##\n---\n> quoted *text*")).toBe("<h3>Top</h3><h4>Sub</h4><hr></hr><blockquote><p>quoted <em>text</em></p></blockquote>");
    expect(html(markdown("###### Deep", { headingLevel: 3 }))).toBe("<h6>Deep</h6>");
    expect(html(markdown("## Sub", { headingLevel: 2 }))).toBe("<h3>Sub</h3>");
  });

  it("renders fenced code verbatim", () => {
    expect(md("```js\nconst a = '<b>';\n  **x**\n```\nafter")).toBe("<pre><code data-lang=\"js\">const a = '&lt;b&gt;';\n  **x**</code></pre><p>after</p>");
    expect(md("~~~\nunclosed")).toBe("<pre><code>unclosed</code></pre>");
  });

  it("renders lists, ordered and nested, with continuation lines", () => {
    expect(md("- one\n- two\n  - two.a\n  - two.b\n- three\ncontinued")).toBe(
      "<ul><li>one</li><li><p>two</p><ul><li>two.a</li><li>two.b</li></ul></li><li><p>three<br></br>continued</p></li></ul>",
    );
    expect(md("3. c\n4. d\n\n5. e\n\nafter")).toBe('<ol start="3"><li>c</li><li>d</li><li>e</li></ol><p>after</p>');
    expect(md("1. a\n- b")).toBe("<ol><li>a</li></ol><ul><li>b</li></ul>");
  });

  it("renders pipe tables with header cells and alignment", () => {
    expect(md("| Plan | Price |\n|:--|--:|\n| Pro | **$9** |\n| Team |")).toBe(
      '<div><table><thead><tr><th scope="col">Plan</th><th class="a-right" scope="col">Price</th></tr></thead>' +
        '<tbody><tr><td>Pro</td><td class="a-right"><strong>$9</strong></td></tr><tr><td>Team</td><td class="a-right"></td></tr></tbody></table></div>',
    );
  });

  it("links http, https and mailto only, opening a new tab without an opener", () => {
    expect(md('[Docs](https://docs.example/a_(b)?x=1 "title") and <mailto:help@shop.example> and https://shop.example/returns.')).toBe(
      '<p><a href="https://docs.example/a_(b)?x=1" target="_blank" rel="noopener noreferrer">Docs</a> and ' +
        '<a href="mailto:help@shop.example" target="_blank" rel="noopener noreferrer">mailto:help@shop.example</a> and ' +
        '<a href="https://shop.example/returns" target="_blank" rel="noopener noreferrer">https://shop.example/returns</a>.</p>',
    );
    // An unsafe link is its text, run into the text around it.
    expect(markdown("[relative](/admin) [*proto*](//evil.example)")).toEqual([factory("p", null, "relative ", factory("em", null, "proto"))]);
  });

  it("turns [n] into what the caller makes of a citation, and leaves other brackets alone", () => {
    const nodes = markdown("Five days [1][2]. See [note] and [3](https://x.example).", {
      cite: (n) => (n === 1 ? factory("sup", null, `#${n}`) : undefined),
    });
    expect(html(nodes)).toBe('<p>Five days <sup>#1</sup>[2]. See [note] and <a href="https://x.example/" target="_blank" rel="noopener noreferrer">3</a>.</p>');
  });
});

describe("markdown bound with a style", () => {
  it("gives each part the binding's props, beneath those the text sets", () => {
    const styled = bind({
      attrs: {
        a: { className: "link", href: "javascript:alert(1)", rel: "opener" },
        code: { className: "code" },
        heading: { className: "h" },
        pre: { tabIndex: 0 },
        tableBox: { className: "table" },
        table: { className: "data" },
        ol: { className: "ol", start: 9 },
      },
    });
    expect(html(styled.markdown("## T\n\n`x`\n\n```\ny\n```\n\n[a](https://a.example/)\n\n2. two"))).toBe(
      '<h4 class="h">T</h4><p><code class="code">x</code></p><pre tabIndex="0"><code>y</code></pre>' +
        '<p><a class="link" href="https://a.example/" rel="noopener noreferrer" target="_blank">a</a></p><ol class="ol" start="2"><li>two</li></ol>',
    );
    expect(html(styled.markdown("a|b\n-|-\n1|2"))).toMatch(/^<div class="table"><table class="data">/);
    expect(html([styled.link("https://b.example/", "b")])).toBe('<a class="link" href="https://b.example/" rel="noopener noreferrer" target="_blank">b</a>');
  });

  it("adds nofollow to links when asked", () => {
    expect(html(bind({ nofollow: true }).markdown("https://a.example"))).toContain('rel="noopener noreferrer nofollow"');
    expect(html([link("mailto:a@shop.example", "mail")])).toBe('<a href="mailto:a@shop.example" target="_blank" rel="noopener noreferrer">mail</a>');
  });

  it("renumbers the text's heading levels from headingLevel without gaps, when asked", () => {
    const { markdown: outline } = bind({ renumberHeadings: true });
    expect(html(outline("## Summary\n\n#### Detail\n\n## Next", { headingLevel: 3 }))).toBe("<h3>Summary</h3><h4>Detail</h4><h3>Next</h3>");
    expect(html(outline("###### Deep"))).toBe("<h3>Deep</h3>");
    // A level the top-level text does not use (here, inside a quote) is the lowest.
    expect(html(outline("# A\n> ## B"))).toBe("<h3>A</h3><blockquote><h6>B</h6></blockquote>");
  });
});

describe("markdown given hostile text", () => {
  const payloads = [
    "<script>window.__pwned=1</script>",
    `<img src=x onerror="window.__pwned=1">`,
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\u0000script:alert(1))",
    "[click](jav&#x61;script:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "<https://ok.example/x onmouseover=alert(1)>",
    '[x](https://ok.example/"onclick="alert(1))',
    '```"><img src=x onerror=alert(1)>\ncode\n```',
    "| <b onclick=alert(1)> |\n|:-:|\n| [x](vbscript:msgbox(1)) |",
  ];
  const TAGS = ["p", "br", "a", "code", "pre", "strong", "em", "del", "ul", "ol", "li", "h3", "h4", "blockquote", "hr", "div", "table"];
  const ATTRS = ["href", "target", "rel", "data-lang", "className", "scope", "start"];

  it("makes no element but markdown's, and no href but http, https and mailto", () => {
    for (const payload of payloads) {
      for (const e of elements(markdown(payload))) {
        expect([...TAGS, "thead", "tbody", "tr", "th", "td"], payload).toContain(e.tag);
        for (const [k, value] of Object.entries(e.props)) {
          expect(ATTRS, payload).toContain(k);
          if (k === "href") expect(String(value), payload).toMatch(/^(https?:|mailto:)/);
          if (k === "data-lang") expect(String(value), payload).toMatch(/^[\w+#.-]+$/);
        }
      }
    }
    // The markup shows as the text it is.
    expect(text(markdown("<script>window.__pwned=1</script>"))).toBe("<script>window.__pwned=1</script>");
    expect(text(markdown("&lt;b&gt;"))).toBe("&lt;b&gt;");
  });

  it("keeps unsafe link targets out of attributes entirely", () => {
    expect(md("[click](javascript:alert(1))")).toBe("<p>click</p>");
    expect(safeHref("java\tscript:alert(1)")).toBeUndefined();
    expect(safeHref("data:text/html,x")).toBeUndefined();
    expect(safeHref("https://ok.example/a b")).toBe("https://ok.example/a%20b");
  });
});

describe("markdown given text written to make it slow", () => {
  const KB16 = 16 * 1024;
  const fill = (unit: string) => unit.repeat(Math.ceil(KB16 / unit.length)).slice(0, KB16);
  // Each of these made the parser search the rest of the line again from every delimiter (a 16 KB line of `**x `
  // took about 280 ms), or overflowed the stack.
  const hostile: Record<string, string> = {
    "unclosed strong": fill("**x "),
    "unclosed strong (underscores)": fill("__x "),
    "unclosed emphasis": fill("*x "),
    "unclosed strikethrough": fill("~~x "),
    "backtick runs of every length": Array.from({ length: 180 }, (_, i) => `${"`".repeat(i + 1)}x`).join(" "),
    "brackets that open no link": fill("["),
    "bracketed text that is no link": `${fill("[x")}]`,
    "every delimiter, unclosed": fill("**a ~~b *c _d `e [f "),
    "a heading with a long run of spaces": `# x${" ".repeat(KB16)}y`,
    "a table rule with a long run of spaces": `a|b\n-${" ".repeat(KB16)}x`,
    "quotes nested thousands deep": fill("> "),
    "a list nested by indentation": Array.from({ length: 120 }, (_, i) => `${" ".repeat(i * 2)}- x`).join("\n"),
  };
  const outline = bind({ renumberHeadings: true }).markdown;

  for (const [name, source] of Object.entries(hostile)) {
    it(`parses ${name} (${source.length} characters) in well under 50 ms`, () => {
      // The best of three, so that a pause of the test machine is not taken for the parser's cost.
      let best = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        markdown(source);
        outline(source);
        best = Math.min(best, performance.now() - start);
      }
      expect(best).toBeLessThan(50);
    });
  }

  it("still reads what those rules read", () => {
    // The first opener still takes the first closing delimiter after it; an opener with none stays text.
    expect(md("**a **b** c")).toBe("<p><strong>a **b</strong> c</p>");
    expect(md("~~a ~~b~~ and **c")).toBe("<p><del>a ~~b</del> and **c</p>");
    expect(md("_a _b_ c_ *d")).toBe("<p><em>a _b</em> c_ *d</p>");
    expect(md("[a [b](https://x.example) [c] [d")).toBe('<p><a href="https://x.example/" target="_blank" rel="noopener noreferrer">a [b</a> [c] [d</p>');
    expect(md("`` a ` b `` and `c`")).toBe("<p><code>a ` b</code> and <code>c</code></p>");
    // A run of backticks that closes nothing is text, all of it.
    expect(md("``x` y")).toBe("<p>``x` y</p>");
    expect(md("# C#\n## Sub ##\n### a ###   \n# ##")).toBe("<h3>C#</h3><h4>Sub</h4><h5>a</h5><h3>##</h3>");
    expect(md("a | b\n|-- | :-: |\n| 1 | 2 |")).toContain('<th class="a-center" scope="col">b</th>');
    expect(md("http://x.example and HTTP://y.example")).toBe(
      '<p><a href="http://x.example/" target="_blank" rel="noopener noreferrer">http://x.example</a> and HTTP://y.example</p>',
    );
  });

  it("nests quotes and lists only so deep, and keeps the text of deeper ones", () => {
    const quotes = md(`${"> ".repeat(12)}deep`);
    expect(quotes.match(/<blockquote>/g)).toHaveLength(8);
    expect(text(markdown(`${"> ".repeat(12)}deep`))).toBe(`${"> ".repeat(4).trim()} deep`);
    const list = Array.from({ length: 12 }, (_, i) => `${" ".repeat(i * 2)}- item ${i}`).join("\n");
    const out = md(list);
    expect(out.match(/<ul>/g)).toHaveLength(9);
    for (let i = 0; i < 12; i++) expect(out).toContain(`item ${i}`);
    expect(out).toContain("<li>item 8<br></br>- item 9<br></br>- item 10<br></br>- item 11</li>");
  });
});
