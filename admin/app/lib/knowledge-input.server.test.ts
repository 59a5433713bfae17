import { describe, expect, it } from "vitest";
import { documentFromFile, MAX_DOCUMENT_BYTES, parseFaq } from "./knowledge-input.server.ts";

describe("parseFaq", () => {
  it("reads Q: and A: lines, answers running over several lines", () => {
    expect(parseFaq("Q: Shipping?\nA: Two days.\nThree abroad.\n\nquestion: Returns?\nanswer: 30 days.")).toEqual({
      ok: true,
      entries: [
        { question: "Shipping?", answer: "Two days.\nThree abroad." },
        { question: "Returns?", answer: "30 days." },
      ],
    });
  });

  it("says which line is wrong", () => {
    expect(parseFaq("Hello\nQ: x\nA: y")).toMatchObject({ ok: false, error: expect.stringContaining("Line 1") });
    expect(parseFaq("A: y")).toMatchObject({ ok: false, error: expect.stringContaining("before any question") });
    expect(parseFaq("Q: one\n\nQ: two\nA: yes")).toMatchObject({ ok: false, error: expect.stringContaining("line 1") });
    expect(parseFaq("Q: one\nA: a\nA: b")).toMatchObject({ ok: false, error: expect.stringContaining("second answer") });
    expect(parseFaq("  \n")).toMatchObject({ ok: false });
  });
});

describe("documentFromFile", () => {
  it("takes the format from the extension and the title from the name", async () => {
    expect(await documentFromFile(new File(["# Hi"], "Returns policy.md"))).toEqual({ ok: true, title: "Returns policy", content: "# Hi", format: "markdown" });
    expect(await documentFromFile(new File(["q,a"], "faq.CSV"))).toMatchObject({ ok: true, format: "faq-csv" });
  });

  it("sends a PDF as base64", async () => {
    expect(await documentFromFile(new File([new Uint8Array([37, 80, 68, 70])], "a.pdf"))).toMatchObject({ ok: true, content: "JVBERg==", format: "pdf" });
  });

  it("refuses other kinds, empty files and files over the platform's limit, by name", async () => {
    expect(await documentFromFile(new File(["x"], "contract.docx"))).toMatchObject({ ok: false, error: expect.stringContaining("contract.docx") });
    expect(await documentFromFile(new File([], "empty.txt"))).toMatchObject({ ok: false, error: "empty.txt is empty." });
    expect(await documentFromFile(new File([new Uint8Array(MAX_DOCUMENT_BYTES + 1)], "big.txt"))).toMatchObject({
      ok: false,
      error: expect.stringContaining("10 MB"),
    });
  });
});
