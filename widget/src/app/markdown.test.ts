// The renderer's own behaviour is tested in packages/shared/src/markdown.test.ts; this is its Preact binding.
import { describe, expect, it } from "vitest";
import { elements, html, scriptCapable, text } from "../../test/vnodes.ts";
import { XSS_PAYLOADS } from "../../test/xss-payloads.ts";
import { link, markdown } from "./markdown.ts";

describe("markdown, as Preact nodes", () => {
  it("makes the panel's elements: tables in their scrolling box, links in a new tab without an opener", () => {
    expect(html(markdown("# Plans\n\n| Plan | Price |\n|--|--:|\n| Pro | [$9](https://shop.example/pro) |"))).toBe(
      '<h3>Plans</h3><div className="table"><table><thead><tr><th scope="col">Plan</th><th className="a-right" scope="col">Price</th></tr></thead>' +
        '<tbody><tr><td>Pro</td><td className="a-right"><a href="https://shop.example/pro" target="_blank" rel="noopener noreferrer">$9</a></td></tr></tbody></table></div>',
    );
    expect(html(link("https://shop.example/", "Shop"))).toBe('<a href="https://shop.example/" target="_blank" rel="noopener noreferrer">Shop</a>');
  });

  it("makes no element that can run script from the payloads the browser test also tries", () => {
    for (const payload of XSS_PAYLOADS) expect(scriptCapable(elements(markdown(payload))), payload).toEqual([]);
    expect(text(markdown("<script>window.__pwned=1</script>"))).toBe("<script>window.__pwned=1</script>");
  });
});
