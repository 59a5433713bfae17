import { describe, expect, it } from "vitest";
import { actionHref, sourceLabel } from "./actions.ts";

describe("actionHref", () => {
  it("lets only http(s) links and plain addresses through", () => {
    expect(actionHref({ type: "link", label: "Returns", url: "https://shop.example/returns?x=1" })).toBe("https://shop.example/returns?x=1");
    expect(actionHref({ type: "link", label: "Old", url: "http://shop.example/" })).toBe("http://shop.example/");
    for (const url of ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<b>", "/relative", "//shop.example/x", "vbscript:x"]) {
      expect(actionHref({ type: "link", label: "x", url })).toBeUndefined();
    }
    expect(actionHref({ type: "email", label: "Mail", email: "help@shop.example" })).toBe("mailto:help@shop.example");
    for (const email of ["help@shop.example?bcc=evil@x.y", "not an email", "a@b"]) {
      expect(actionHref({ type: "email", label: "x", email })).toBeUndefined();
    }
    expect(actionHref({ type: "human", label: "Person" })).toBeUndefined();
  });
});

describe("sourceLabel", () => {
  it("joins the title and heading path behind the citation's number", () => {
    expect(sourceLabel({ n: 2, chunkId: "chk", documentId: "doc", title: "Refunds", headingPath: ["Policy", "Cards"] })).toBe("[2] Refunds › Policy › Cards");
    expect(sourceLabel({ n: 1, chunkId: "chk", documentId: "doc", title: "FAQ", headingPath: [] })).toBe("[1] FAQ");
  });
});
