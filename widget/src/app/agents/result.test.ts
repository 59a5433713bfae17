import { describe, expect, it } from "vitest";
import { elements, html, scriptCapable, text } from "../../../test/vnodes.ts";
import { STRINGS } from "../strings.ts";
import { mainText, show } from "./result.tsx";

const render = (v: unknown) => show(v, 4, STRINGS.en, []);

describe("show", () => {
  it("shows a ticket resolver's output: fields, the reply as markdown with its citations, lists", () => {
    const output = {
      category: "refund",
      needsHuman: false,
      summary: "Late refund",
      reply: "Refunds take **five** days [1].\n\n- Check your card",
      citations: [{ n: 1, chunkId: "chk_1", documentId: "doc_1", title: "Refund policy", headingPath: ["Refunds"] }],
      nextSteps: ["Wait", "Write back"],
    };
    expect(html(render(output))).toBe(
      '<dl class="kv"><div><dt>Category</dt><dd>refund</dd></div><div><dt>Needs human</dt><dd>No</dd></div><div><dt>Summary</dt><dd>Late refund</dd></div></dl>' +
        '<section><h4>Reply</h4><div class="md"><p>Refunds take <strong>five</strong> days <abbr title="[1] Refund policy › Refunds">[1]</abbr>.</p><ul><li>Check your card</li></ul></div></section>' +
        '<section><h4>Citations</h4><ul class="sources"><li>[1] Refund policy › Refunds</li></ul></section>' +
        "<section><h4>Next steps</h4><ul><li>Wait</li><li>Write back</li></ul></section>",
    );
  });

  it("shows records as a table and nested objects as deeper sections", () => {
    const output = {
      rows: 2,
      fields: [
        { name: "email", type: "email", nullable: false, examples: ["a@x.io", "b@x.io"] },
        { name: "age", type: "integer", nullable: true, examples: [] },
      ],
      review: { notes: ["Two rows"], mappings: [] },
    };
    expect(html(render(output))).toBe(
      '<dl class="kv"><div><dt>Rows</dt><dd>2</dd></div></dl>' +
        '<section><h4>Fields</h4><div class="table"><table><thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Nullable</th><th scope="col">Examples</th></tr></thead>' +
        "<tbody><tr><td>email</td><td>email</td><td>No</td><td>a@x.io, b@x.io</td></tr><tr><td>age</td><td>integer</td><td>Yes</td><td></td></tr></tbody></table></div></section>" +
        "<section><h4>Review</h4><section><h5>Notes</h5><ul><li>Two rows</li></ul></section><section><h5>Mappings</h5>—</section></section>",
    );
  });

  it("keeps an agent's hostile output inert", () => {
    const output = {
      report: "# Hi\n<script>window.__pwned=1</script>\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
      rows: [{ "<img src=x onerror=alert(1)>": "<svg onload=alert(1)>" }],
      nested: { deeper: ["<iframe src=javascript:alert(1)>", { a: "[y](data:text/html,x)" }] },
    };
    const nodes = render(output);
    expect(scriptCapable(elements(nodes))).toEqual([]);
    expect(text(nodes)).toContain("<script>window.__pwned=1</script>");
  });
});

describe("mainText", () => {
  it("finds the text a visitor would copy", () => {
    expect(mainText({ category: "x", reply: "Dear customer" })).toBe("Dear customer");
    expect(mainText({ output: "a,b", format: "csv" })).toBe("a,b");
    expect(mainText("plain")).toBe("plain");
    expect(mainText({ rows: 2 })).toBeUndefined();
  });
});
