import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, rest, signUpAccount, trpcMutation, type TestAccount } from "@bizbot/testing";
import { rowCounts, startTestApp } from "../../test/harness.ts";
import type { App } from "../main.ts";
import { chunkSections, CHUNK_WORDS, markdownSections } from "./chunking.ts";
import { chunkDocument, parseFaqCsv } from "./formats.ts";
import { search } from "./search.ts";
import { addDocument, deleteDocument, updateDocument } from "./service.ts";

let app: App;
let a: TestAccount;
let b: TestAccount;
const system = { type: "system" as const, id: null };

beforeAll(async () => {
  app = await startTestApp();
  a = await signUpAccount(app.url);
  b = await signUpAccount(app.url);
});
afterAll(() => app?.close());

/** The index statistics equal what the postings and chunks say: nothing stale after adds, updates and deletes. */
async function assertIndexConsistent(tenantId: string) {
  const db = app.deps.db;
  const stale = await sql<{ n: number }>`
    select count(*)::int as n from (
      select term, df from kb_term_stats where tenant_id = ${tenantId}
      except
      select term, count(*)::int from kb_postings where tenant_id = ${tenantId} group by term
    ) x`.execute(db);
  expect(stale.rows[0]!.n).toBe(0);
  const totals = await sql<{ stats_chunks: number; stats_length: string; chunks: number; length: string }>`
    select coalesce((select chunk_count from kb_tenant_stats where tenant_id = ${tenantId}), 0) as stats_chunks,
           coalesce((select total_length from kb_tenant_stats where tenant_id = ${tenantId}), 0)::text as stats_length,
           (select count(*)::int from kb_chunks where tenant_id = ${tenantId}) as chunks,
           (select coalesce(sum(length), 0) from kb_chunks where tenant_id = ${tenantId})::text as length`.execute(db);
  const t = totals.rows[0]!;
  expect([t.stats_chunks, t.stats_length]).toEqual([t.chunks, t.length]);
}

describe("chunking", () => {
  it("follows markdown headings and keeps the path of headings", () => {
    const sections = markdownSections(
      "Intro line\n# Billing\nHow we bill.\n## Refunds\nWithin 30 days.\n```\n# not a heading\n```\n# Security\nKeys are hashed.",
    );
    expect(sections.map((s) => s.headingPath)).toEqual([[], ["Billing"], ["Billing", "Refunds"], ["Security"]]);
    expect(sections[2]!.text).toContain("# not a heading");
  });

  it("cuts long text into chunks of a few hundred words that overlap", () => {
    const paragraph = (n: number) => Array.from({ length: 120 }, (_, i) => `w${n}x${i}`).join(" ");
    const chunks = chunkSections([{ headingPath: ["Guide"], text: Array.from({ length: 6 }, (_, n) => paragraph(n)).join("\n\n") }]);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk.text.split(/\s+/).length).toBeLessThanOrEqual(CHUNK_WORDS + 50 + 1);
    // The next chunk starts with the tail of the one before.
    const tail = chunks[0]!.text.split(/\s+/).slice(-10).join(" ");
    expect(chunks[1]!.text).toContain(tail);
  });

  it("turns HTML into text that keeps its headings and drops scripts, styles and entities' escapes", () => {
    const chunks = chunkDocument(
      "html",
      `<html><head><title>Help</title><style>.x{color:red}</style><script>alert("canary-script")</script></head>
       <body><nav>Home | Pricing</nav><h1>Billing</h1><p>Credits cost &euro;0.04 &amp; never expire.</p>
       <h2>Refunds</h2><ul><li>Within 30 days</li><li>Unused credits only</li></ul><noscript>canary-noscript</noscript></body></html>`,
    );
    expect(chunks.map((c) => c.headingPath)).toEqual([["Billing"], ["Billing", "Refunds"]]);
    expect(chunks[0]!.text).toBe("Credits cost €0.04 & never expire.");
    expect(chunks[1]!.text).toBe("Within 30 days\n\nUnused credits only");
    expect(JSON.stringify(chunks)).not.toMatch(/canary|color:red|Pricing/);
    expect(() => chunkDocument("html", "<script>only()</script>")).toThrow("no text");
  });

  it("reads FAQ CSV with a header, quotes and line breaks", () => {
    expect(parseFaqCsv('Answer,Question\n"Yes, ""always"".","Is it\nsafe?"\n')).toEqual([{ question: "Is it\nsafe?", answer: 'Yes, "always".' }]);
    expect(parseFaqCsv("How much?,Four cents a credit\n")).toEqual([{ question: "How much?", answer: "Four cents a credit" }]);
  });
});

describe("knowledge base", () => {
  it("indexes each format and finds passages by meaning of their words, best first", async () => {
    const tenant = a.tenant.id;
    await addDocument(app.deps, system, tenant, {
      title: "Billing guide",
      format: "markdown",
      content: "# Credits\nEach credit costs four cents.\n## Refunds\nUnused credits are refunded within 30 days of purchase.",
    });
    const faq = await addDocument(app.deps, system, tenant, {
      title: "Security FAQ",
      format: "faq-json",
      content: JSON.stringify([
        { question: "How are API keys stored?", answer: "Only a SHA-256 hash of each key is kept." },
        { question: "Can I rotate a key?", answer: "Yes: roll it, with a grace period if you like." },
      ]),
    });
    expect(faq.chunkCount).toBe(2);
    const refunds = await search(app.deps, tenant, "are unused credits refunded?", 5);
    expect(refunds.mode).toBe("lexical");
    expect(refunds.results[0]).toMatchObject({ title: "Billing guide", headingPath: ["Credits", "Refunds"] });
    const keys = await search(app.deps, tenant, "storing keys", 5);
    expect(keys.results[0]).toMatchObject({
      title: "Security FAQ",
      headingPath: ["How are API keys stored?"],
      text: "Only a SHA-256 hash of each key is kept.",
    });
    expect(keys.results[0]!.score).toBeGreaterThan(keys.results[1]?.score ?? 0);
    expect(await search(app.deps, tenant, "zebra quantum", 5)).toEqual({ results: [], mode: "lexical" });
    await assertIndexConsistent(tenant);
  });

  it("keeps each tenant's documents and statistics to itself", async () => {
    await addDocument(app.deps, system, a.tenant.id, { title: "A only", format: "text", content: "The pineapple protocol is tenant A's secret." });
    const fromB = await search(app.deps, b.tenant.id, "pineapple protocol secret", 10);
    expect(fromB.results).toEqual([]);
    const restB = await rest<{ results: unknown[] }>(app.url, "POST", "/v1/knowledge/search", {
      headers: bearer(b.keys.live.secret.key),
      body: { query: "pineapple" },
    });
    expect(restB.body.results).toEqual([]);
    const listB = await rest<{ documents: Array<{ title: string }> }>(app.url, "GET", "/v1/knowledge/documents", { headers: bearer(b.keys.live.secret.key) });
    expect(listB.body.documents.map((d) => d.title)).not.toContain("A only");
  });

  it("treats the same document sent twice, even at once, as one", async () => {
    const tenant = (await signUpAccount(app.url)).tenant.id;
    const doc = { title: "Hours", format: "text" as const, content: "We answer every day from 8 to 20." };
    const results = await Promise.all(Array.from({ length: 5 }, () => addDocument(app.deps, system, tenant, doc)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect((await app.deps.db.selectFrom("kb_documents").select("id").where("tenant_id", "=", tenant).execute()).length).toBe(1);
    await assertIndexConsistent(tenant);
  });

  it("re-indexes an update and removes a deleted document from every index", async () => {
    const tenant = (await signUpAccount(app.url)).tenant.id;
    const doc = await addDocument(app.deps, system, tenant, { title: "Plans", format: "text", content: "The starter plan includes five hundred credits." });
    await addDocument(app.deps, system, tenant, { title: "Other", format: "text", content: "Unrelated words about widgets." });
    // An update that would make it a copy of another document is refused, and changes nothing.
    await expect(
      updateDocument(app.deps, system, tenant, doc.id, { title: "Other", format: "text", content: "Unrelated words about widgets." }),
    ).rejects.toMatchObject({
      reason: "conflict",
      message: expect.stringContaining("already has exactly this title and content"),
    });
    expect((await search(app.deps, tenant, "starter plan", 5)).results[0]!.documentId).toBe(doc.id);
    await updateDocument(app.deps, system, tenant, doc.id, {
      title: "Plans",
      format: "text",
      content: "The business plan includes three thousand five hundred credits.",
    });
    expect((await search(app.deps, tenant, "starter", 5)).results).toEqual([]);
    expect((await search(app.deps, tenant, "business plan", 5)).results[0]!.documentId).toBe(doc.id);
    await assertIndexConsistent(tenant);
    await deleteDocument(app.deps, system, tenant, doc.id);
    expect((await search(app.deps, tenant, "business plan credits", 5)).results).toEqual([]);
    const leftovers = await sql<{ n: number }>`select count(*)::int as n from kb_chunks where document_id = ${doc.id}`.execute(app.deps.db);
    expect(leftovers.rows[0]!.n).toBe(0);
    await assertIndexConsistent(tenant);
  });

  it("refuses empty, oversized, binary and malformed documents clearly, and writes nothing", async () => {
    const key = bearer(a.keys.live.secret.key);
    const before = await rowCounts(app.deps.db);
    const post = (body: unknown) => rest<{ error: { code: string; message: string } }>(app.url, "POST", "/v1/knowledge/documents", { headers: key, body });
    const cases: Array<[unknown, number, string]> = [
      [{ title: "Empty", content: "   \n ", format: "text" }, 400, "invalid_input"],
      [{ title: "Huge", content: "x".repeat(10 * 1024 * 1024 + 1), format: "text" }, 413, "payload_too_large"],
      [{ title: "Binary", content: "PK\u0003\u0004\u0000\u0000garbage\u0000", format: "text" }, 400, "invalid_input"],
      [{ title: "Bad FAQ", content: '[{"question": "Q?"}]', format: "faq-json" }, 400, "invalid_input"],
      [{ title: "Not JSON", content: "{", format: "faq-json" }, 400, "invalid_input"],
      [{ title: "Bad CSV", content: 'q,"unclosed', format: "faq-csv" }, 400, "invalid_input"],
      [{ title: "Format", content: "Hi", format: "docx" }, 400, "invalid_input"],
    ];
    for (const [body, status, code] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    expect(await rowCounts(app.deps.db)).toEqual(before);
  });

  it("serves REST: add, list, search and delete with a secret key; members read, admins change", async () => {
    const key = bearer(a.keys.live.secret.key);
    const created = await rest<{ id: string; chunkCount: number; duplicate: boolean }>(app.url, "POST", "/v1/knowledge/documents", {
      headers: key,
      body: { title: "Shipping", content: "question,answer\nDo you ship abroad?,We ship to 40 countries.\n", format: "faq-csv" },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ chunkCount: 1, duplicate: false });
    const found = await rest<{ results: Array<{ documentId: string; chunkId: string; title: string; text: string; score: number }>; mode: string }>(
      app.url,
      "POST",
      "/v1/knowledge/search",
      { headers: key, body: { query: "ship abroad", limit: 3 } },
    );
    expect(found.body.mode).toBe("lexical");
    expect(found.body.results[0]).toMatchObject({ documentId: created.body.id, title: "Shipping", text: "We ship to 40 countries." });
    expect(found.body.results[0]!.chunkId).toMatch(/^chk_/);
    expect((await rest(app.url, "POST", "/v1/knowledge/search", { headers: key, body: { query: "x", limit: 51 } })).status).toBe(400);
    // The portal: the same procedures with a session.
    expect((await trpcMutation(app.url, "knowledge.search", { input: { query: "ship" }, headers: bearer(a.token) })).status).toBe(200);
    const removed = await rest(app.url, "DELETE", `/v1/knowledge/documents/${created.body.id}`, { headers: key });
    expect(removed).toMatchObject({ status: 200, body: { deleted: true, id: created.body.id } });
    expect((await rest(app.url, "DELETE", `/v1/knowledge/documents/${created.body.id}`, { headers: key })).status).toBe(404);
    expect((await rest(app.url, "DELETE", "/v1/knowledge/documents/%E0%A4%A", { headers: key })).status).toBe(400);
    // A publishable key cannot touch the knowledge base.
    expect((await rest(app.url, "GET", "/v1/knowledge/documents", { headers: bearer(a.keys.live.publishable.key) })).status).toBe(403);
  });
});

/** A one-page PDF with the given lines of text, built by hand (Helvetica, no embedded font). */
function minimalPdf(lines: string[]): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td ${lines.map((l, i) => `${i ? "0 -16 Td " : ""}(${l}) Tj`).join(" ")} ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

describe("PDF documents", () => {
  it("extracts a PDF's text and indexes it; refuses what is not a PDF", async () => {
    const key = bearer(a.keys.live.secret.key);
    const pdf = minimalPdf(["Warranty terms", "Every widget carries a two year warranty."]);
    const created = await rest<{ id: string; format: string; chunkCount: number }>(app.url, "POST", "/v1/knowledge/documents", {
      headers: key,
      body: { title: "Warranty", content: pdf.toString("base64"), format: "pdf" },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ format: "pdf", chunkCount: 1 });
    const found = await rest<{ results: Array<{ documentId: string; text: string }> }>(app.url, "POST", "/v1/knowledge/search", {
      headers: key,
      body: { query: "widget warranty years" },
    });
    expect(found.body.results[0]).toMatchObject({ documentId: created.body.id });
    expect(found.body.results[0]!.text).toContain("two year warranty");
    const before = await rowCounts(app.deps.db);
    for (const content of [Buffer.from("not a pdf at all").toString("base64"), "%%% not base64 %%%"]) {
      const res = await rest<{ error: { code: string } }>(app.url, "POST", "/v1/knowledge/documents", {
        headers: key,
        body: { title: "Bad", content, format: "pdf" },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
    }
    expect(await rowCounts(app.deps.db)).toEqual(before);
  });

  it("takes a PDF, or any document, as a multipart/form-data upload", async () => {
    const key = bearer(a.keys.live.secret.key);
    const pdfForm = new FormData();
    pdfForm.set("format", "pdf");
    pdfForm.set("title", "Returns");
    pdfForm.set("content", new Blob([minimalPdf(["Returns", "Parcels are returned free within fourteen days."])], { type: "application/pdf" }), "returns.pdf");
    const pdf = await fetch(`${app.url}/v1/knowledge/documents`, { method: "POST", headers: key, body: pdfForm });
    expect(pdf.status).toBe(200);
    expect(await pdf.json()).toMatchObject({ title: "Returns", format: "pdf", chunkCount: 1, status: "ready" });

    // Without a title, the file's name is the title; a text format is read as UTF-8.
    const mdForm = new FormData();
    mdForm.set("format", "markdown");
    mdForm.set("content", new Blob(["# Opening hours\nThe café opens at eight."], { type: "application/octet-stream" }), "hours.md");
    const md = await fetch(`${app.url}/v1/knowledge/documents`, { method: "POST", headers: key, body: mdForm });
    expect(await md.json()).toMatchObject({ title: "hours", format: "markdown", chunkCount: 1 });
    const found = await rest<{ results: Array<{ text: string }> }>(app.url, "POST", "/v1/knowledge/search", {
      headers: key,
      body: { query: "when does the café open" },
    });
    expect(found.body.results[0]!.text).toContain("opens at eight");

    const broken = await fetch(`${app.url}/v1/knowledge/documents`, {
      method: "POST",
      headers: { ...key, "content-type": "multipart/form-data; boundary=x" },
      body: "garbage",
    });
    expect(broken.status).toBe(400);
  });
});
