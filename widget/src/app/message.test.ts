import type { Citation } from "@bizbot/shared";
import { describe, expect, it } from "vitest";
import { elements, html, text } from "../../test/vnodes.ts";
import { citationHref } from "./actions.ts";
import { markdown } from "./markdown.ts";
import { citeMarker, sourceItem, sourcePopover } from "./message.tsx";
import { STRINGS } from "./strings.ts";

const s = STRINGS.en;
const state = { open: false, popId: "m1-cite", toggle: () => undefined, onKeyDown: () => undefined };
const PASSAGE = "Parcels leave our warehouse within two working days.";
const citation = (url?: string | null): Citation => ({
  n: 2,
  chunkId: "chk_1",
  documentId: "doc_1",
  title: "Shipping help",
  headingPath: ["Shipping"],
  url,
  text: PASSAGE,
});

describe("citeMarker", () => {
  it("links a citation with a web address to its page, in a new tab without access to the panel's", () => {
    const nodes = citeMarker(citation("https://shop.example/help/shipping"), s, state);
    expect(html(nodes)).toBe(
      '<sup class="cite"><a href="https://shop.example/help/shipping" target="_blank" rel="noopener noreferrer" aria-label="Source 2: Shipping help › Shipping">[2]</a></sup>',
    );
    expect(elements(nodes).map((e) => e.tag)).toEqual(["sup", "a"]);
    // The same in the answer's text, where the `[n]` marker stands, and in its list of sources.
    expect(html(markdown("Two days [2].", { cite: () => nodes }))).toBe(`<p>Two days ${html(nodes)}.</p>`);
    expect(html(sourceItem(citation("http://shop.example/help")))).toBe(
      '<a href="http://shop.example/help" target="_blank" rel="noopener noreferrer">[2] Shipping help › Shipping</a>',
    );
  });

  it("shows the passage in a popover instead, for a citation without an address or with one that is not http(s)", () => {
    for (const url of [
      undefined,
      null,
      "",
      "javascript:alert(1)",
      " JavaScript:alert(1)",
      "java\tscript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "mailto:help@shop.example",
      "/help/shipping",
      "not a url",
    ]) {
      const c = citation(url);
      expect(citationHref(c), String(url)).toBeUndefined();
      const marker = citeMarker(c, s, state);
      const made = elements(marker);
      expect(
        made.map((e) => e.tag),
        String(url),
      ).toEqual(["sup", "button"]);
      expect(made[1]!.attrs).toMatchObject({
        type: "button",
        "aria-label": "Source 2: Shipping help › Shipping",
        "aria-controls": "m1-cite",
        "aria-expanded": false,
      });
      expect(made.some((e) => "href" in e.attrs)).toBe(false);
      expect(html(sourceItem(c))).toBe("[2] Shipping help › Shipping");
    }
    expect(elements(citeMarker(citation(), s, { ...state, open: true }))[1]!.attrs["aria-expanded"]).toBe(true);
  });

  it("opens a popover named by its source, with the passage's text and a close button", () => {
    const pop = sourcePopover(citation("javascript:alert(1)"), s, { popId: "m1-cite", close: () => undefined, onKeyDown: () => undefined });
    expect(html(pop)).toBe(
      `<section class="pop" id="m1-cite" aria-label="[2] Shipping help › Shipping"><p class="pop-title">[2] Shipping help › Shipping</p><p>${PASSAGE}</p><button type="button" class="link">Close</button></section>`,
    );
    // Text the platform sent stays text.
    const hostile = sourcePopover({ ...citation(), text: `<img src=x onerror="alert(1)">` }, s, {
      popId: "p",
      close: () => undefined,
      onKeyDown: () => undefined,
    });
    expect(elements(hostile).map((e) => e.tag)).toEqual(["section", "p", "p", "button"]);
    expect(text(hostile)).toContain(`<img src=x onerror="alert(1)">`);
    // A citation from an older platform, without its passage: the popover names the source alone.
    expect(text(sourcePopover({ ...citation(), text: undefined }, s, { popId: "p", close: () => undefined, onKeyDown: () => undefined }))).toBe(
      "[2] Shipping help › ShippingClose",
    );
  });
});
