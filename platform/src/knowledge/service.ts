import type { Kysely, Selectable } from "kysely";
import { insertAudit, type Actor } from "../audit/repository.ts";
import type { DB, KbDocumentsTable } from "../db/schema.ts";
import { DomainError, invalidInput, notFound } from "../errors.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { newId } from "../lib/ids.ts";
import { isUniqueViolation } from "../auth/repository.ts";
import { safeFetch, sitemapUrls, type FetchPolicy } from "./fetch.ts";
import { chunkDocument, type DocumentFormat } from "./formats.ts";
import { htmlToText } from "./html.ts";
import { pdfToText } from "./pdf.ts";
import { bm25Search, deleteChunks, insertChunks, type SearchHit } from "./repository.ts";

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export interface DocumentInput {
  title: string;
  content: string;
  format: DocumentFormat;
  sourceUrl?: string | undefined;
}

export interface DocumentView {
  id: string;
  title: string;
  format: string;
  sourceUrl: string | null;
  bytes: number;
  chunkCount: number;
  status: "processing" | "ready" | "failed";
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

type DocumentRow = Selectable<KbDocumentsTable>;

function view(row: DocumentRow): DocumentView {
  return {
    id: row.id,
    title: row.title,
    format: row.format,
    sourceUrl: row.source_url,
    bytes: row.bytes,
    chunkCount: row.chunk_count,
    status: row.status,
    error: row.error,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Refuses what cannot be a document before anything is stored: too big, empty, or not text. */
function checkContent(content: string): string {
  const bytes = Buffer.byteLength(content, "utf8");
  if (bytes > MAX_DOCUMENT_BYTES) throw new DomainError("payload_too_large", `A document is at most 10 MB; this one is ${(bytes / 1048576).toFixed(1)} MB`);
  const normalized = content.replace(/\r\n?/g, "\n").trim();
  if (!normalized) throw invalidInput("The document is empty", { content: ["is empty"] });
  // NUL bytes or many replacement characters: binary data sent as text.
  const replacements = normalized.match(/\uFFFD/g)?.length ?? 0;
  if (normalized.includes("\u0000") || replacements > normalized.length / 100) {
    throw invalidInput("The document is not text (it looks like binary data)", { content: ["is not text"] });
  }
  return normalized;
}

/** A document's text: the content itself, or for a PDF (sent as base64) the text inside it. */
async function textOf(input: DocumentInput): Promise<string> {
  if (input.format !== "pdf") return input.content;
  const base64 = input.content.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) throw invalidInput("A PDF is sent as base64", { content: ["is not base64"] });
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length > MAX_DOCUMENT_BYTES) throw new DomainError("payload_too_large", `A document is at most 10 MB; this PDF is ${(bytes.length / 1048576).toFixed(1)} MB`);
  return pdfToText(bytes);
}

/** What makes two documents the same: title, format and normalised content. */
function contentHash(input: DocumentInput, content: string): string {
  return sha256Hex(JSON.stringify([input.title.trim(), input.format, content]));
}

/**
 * Adds a document and indexes its chunks in one transaction. The same content again is the same document: the
 * existing one is answered, with `duplicate: true`.
 */
export async function addDocument(db: Kysely<DB>, actor: Actor, tenantId: string, input: DocumentInput): Promise<DocumentView & { duplicate: boolean }> {
  const content = checkContent(await textOf(input));
  const chunks = chunkDocument(input.format, content);
  const hash = contentHash(input, content);
  const existing = await db.selectFrom("kb_documents").selectAll().where("tenant_id", "=", tenantId).where("content_hash", "=", hash).executeTakeFirst();
  if (existing) return { ...view(existing), duplicate: true };
  const id = newId("document");
  try {
    const row = await db.transaction().execute(async (trx) => {
      const doc = await trx
        .insertInto("kb_documents")
        .values({
          id,
          tenant_id: tenantId,
          title: input.title,
          format: input.format,
          source_url: input.sourceUrl ?? null,
          content_hash: hash,
          bytes: Buffer.byteLength(content, "utf8"),
          chunk_count: chunks.length,
          status: "ready",
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await insertChunks(
        trx,
        tenantId,
        id,
        chunks.map((c, ordinal) => ({ id: newId("chunk"), ordinal, title: input.title, headingPath: c.headingPath, text: c.text })),
      );
      await insertAudit(trx, actor, { tenantId, action: "knowledge.document_added", target: { type: "document", id }, metadata: { title: input.title, chunks: chunks.length } });
      return doc;
    });
    return { ...view(row), duplicate: false };
  } catch (error) {
    // The same content sent twice at once: the unique index keeps one, and the other gets it back.
    if (!isUniqueViolation(error)) throw error;
    const winner = await db.selectFrom("kb_documents").selectAll().where("tenant_id", "=", tenantId).where("content_hash", "=", hash).executeTakeFirstOrThrow();
    return { ...view(winner), duplicate: true };
  }
}

/** Replaces a document's content and re-indexes it, all or nothing. */
export async function updateDocument(db: Kysely<DB>, actor: Actor, tenantId: string, id: string, input: DocumentInput): Promise<DocumentView> {
  const content = checkContent(await textOf(input));
  const chunks = chunkDocument(input.format, content);
  const row = await db.transaction().execute(async (trx) => {
    const doc = await trx
      .updateTable("kb_documents")
      .set({
        title: input.title,
        format: input.format,
        content_hash: contentHash(input, content),
        bytes: Buffer.byteLength(content, "utf8"),
        chunk_count: chunks.length,
        updated_at: new Date(),
      })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst();
    if (!doc) throw notFound("Document");
    await deleteChunks(trx, tenantId, id);
    await insertChunks(trx, tenantId, id, chunks.map((c, ordinal) => ({ id: newId("chunk"), ordinal, title: input.title, headingPath: c.headingPath, text: c.text })));
    await insertAudit(trx, actor, { tenantId, action: "knowledge.document_updated", target: { type: "document", id } });
    return doc;
  });
  return view(row);
}

/** Deletes a document from every index. */
export async function deleteDocument(db: Kysely<DB>, actor: Actor, tenantId: string, id: string): Promise<{ deleted: true; id: string }> {
  await db.transaction().execute(async (trx) => {
    const doc = await trx.selectFrom("kb_documents").select("id").where("tenant_id", "=", tenantId).where("id", "=", id).forUpdate().executeTakeFirst();
    if (!doc) throw notFound("Document");
    await deleteChunks(trx, tenantId, id);
    await trx.deleteFrom("kb_documents").where("id", "=", id).execute();
    await insertAudit(trx, actor, { tenantId, action: "knowledge.document_deleted", target: { type: "document", id } });
  });
  return { deleted: true, id };
}

export async function listDocuments(db: Kysely<DB>, tenantId: string): Promise<DocumentView[]> {
  const rows = await db.selectFrom("kb_documents").selectAll().where("tenant_id", "=", tenantId).orderBy("created_at", "desc").orderBy("id").execute();
  return rows.map(view);
}

const SITEMAP_PAGE_LIMIT = 50;

export interface ImportResult {
  documents: Array<DocumentView & { duplicate: boolean }>;
  failed: Array<{ url: string; error: string }>;
}

/**
 * Imports one page, or every page a sitemap lists (up to 50), through the SSRF-safe fetcher. A sitemap's pages are
 * imported one by one: a page that fails is reported and the others still go in.
 */
export async function importUrl(db: Kysely<DB>, actor: Actor, tenantId: string, input: { url: string; sitemap: boolean }, policy: FetchPolicy): Promise<ImportResult> {
  if (!input.sitemap) return { documents: [await importPage(db, actor, tenantId, input.url, policy)], failed: [] };
  const sitemap = await safeFetch(input.url, policy);
  const urls = sitemapUrls(sitemap.body, SITEMAP_PAGE_LIMIT);
  if (urls.length === 0) throw invalidInput("The sitemap lists no pages", { url: ["no <loc> entries"] });
  const result: ImportResult = { documents: [], failed: [] };
  for (const url of urls) {
    try {
      result.documents.push(await importPage(db, actor, tenantId, url, policy));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      result.failed.push({ url, error: error.message });
    }
  }
  return result;
}

async function importPage(db: Kysely<DB>, actor: Actor, tenantId: string, url: string, policy: FetchPolicy) {
  const page = await safeFetch(url, policy);
  const isHtml = /html/i.test(page.contentType) || /^\s*</.test(page.body);
  const format: DocumentFormat = isHtml ? "html" : /markdown/i.test(page.contentType) || /\.md$/i.test(new URL(page.url).pathname) ? "markdown" : "text";
  const title = (isHtml ? htmlToText(page.body).title : null) ?? new URL(page.url).pathname.split("/").filter(Boolean).pop() ?? new URL(page.url).hostname;
  return addDocument(db, actor, tenantId, { title: title.slice(0, 300), content: page.body, format, sourceUrl: page.url });
}

export interface SearchResult {
  results: Array<Omit<SearchHit, "headingPath"> & { headingPath: string[] }>;
  /** Which retrieval answered: lexical (BM25 in Postgres) until semantic search is configured. */
  mode: "lexical";
}

export async function search(db: Kysely<DB>, tenantId: string, query: string, limit: number): Promise<SearchResult> {
  return { results: await bm25Search(db, tenantId, query, limit), mode: "lexical" };
}
