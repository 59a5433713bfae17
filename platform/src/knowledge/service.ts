import type { Kysely, Selectable } from "kysely";
import { insertAudit, type Actor } from "../audit/repository.ts";
import { isUniqueViolation } from "../db/errors.ts";
import type { DB, KbDocumentsTable } from "../db/schema.ts";
import { conflict, DomainError, invalidInput, notFound } from "../errors.ts";
import type { JobQueue } from "../jobs/queue.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { newId } from "../lib/ids.ts";
import type { FetchPolicy } from "../lib/ssrf.ts";
import { safeFetch, sitemapUrls } from "./fetch.ts";
import { chunkDocument, type DocumentFormat } from "./formats.ts";
import { htmlToText } from "./html.ts";
import { checkText, chunkRows, enqueueIngestion, readSource, textOf } from "./ingest.ts";
import { deleteChunks, insertChunks } from "./repository.ts";
import type { SemanticIndex } from "./semantic.ts";

/** What the knowledge services use; the app's Deps has all of it. */
export interface KnowledgeDeps {
  db: Kysely<DB>;
  semantic: SemanticIndex | null;
  jobs: JobQueue;
}

/**
 * Documents up to this size are indexed while the request waits (BM25 in a few milliseconds); larger ones by a
 * background job, and the document shows `processing` until it is done. With semantic search on, every document
 * also gets a job for its embeddings.
 */
export const INLINE_INDEX_BYTES = 256 * 1024;

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

/** A document row without what was uploaded, which can be megabytes and is only the ingestion job's to read. */
type DocumentRow = Omit<Selectable<KbDocumentsTable>, "pending_source">;

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

const documentColumns = [
  "id",
  "tenant_id",
  "title",
  "format",
  "source_url",
  "content_hash",
  "bytes",
  "chunk_count",
  "status",
  "error",
  "revision",
  "created_at",
  "updated_at",
] as const;

/** What makes two documents the same: title, format and content (a PDF's bytes, or normalised text). */
function hashOf(input: DocumentInput, source: Buffer): string {
  return sha256Hex(JSON.stringify([input.title.trim(), input.format, input.format === "pdf" ? source.toString("base64") : checkText(source.toString("utf8"))]));
}

/** The content hash a document would be stored with: to tell whether a source changed without re-indexing it. */
export function documentHash(input: DocumentInput): string {
  return hashOf(input, readSource(input.format, input.content));
}

/**
 * What a request does before anything is stored: read the upload, refuse what cannot be a document, and decide
 * whether it is indexed now (`chunks`) or by a job (`pending`).
 */
async function prepare(input: DocumentInput) {
  const source = readSource(input.format, input.content);
  const hash = hashOf(input, source);
  if (source.length > INLINE_INDEX_BYTES) {
    // Refused now if it can be refused cheaply: text that is not text, an FAQ that does not parse.
    if (input.format !== "pdf") chunkDocument(input.format, checkText(source.toString("utf8")));
    return { hash, bytes: source.length, chunks: null, pending: source };
  }
  return { hash, bytes: source.length, chunks: chunkDocument(input.format, await textOf(input.format, source)), pending: null };
}

/**
 * Adds a document: indexed in the request's transaction when small, by a job otherwise. The same content again is
 * the same document: the existing one is answered, with `duplicate: true`.
 */
export async function addDocument(deps: KnowledgeDeps, actor: Actor, tenantId: string, input: DocumentInput): Promise<DocumentView & { duplicate: boolean }> {
  const prepared = await prepare(input);
  const existing = await deps.db
    .selectFrom("kb_documents")
    .select(documentColumns)
    .where("tenant_id", "=", tenantId)
    .where("content_hash", "=", prepared.hash)
    .executeTakeFirst();
  if (existing) return { ...view(existing), duplicate: true };
  const id = newId("document");
  let row: DocumentRow;
  try {
    row = await deps.db.transaction().execute(async (trx) => {
      const doc = await trx
        .insertInto("kb_documents")
        .values({
          id,
          tenant_id: tenantId,
          title: input.title,
          format: input.format,
          source_url: input.sourceUrl ?? null,
          content_hash: prepared.hash,
          bytes: prepared.bytes,
          chunk_count: prepared.chunks?.length ?? 0,
          status: prepared.chunks && !deps.semantic ? "ready" : "processing",
          pending_source: prepared.pending,
        })
        .returning(documentColumns)
        .executeTakeFirstOrThrow();
      if (prepared.chunks) await insertChunks(trx, tenantId, id, chunkRows(input.title, prepared.chunks));
      await insertAudit(trx, actor, {
        tenantId,
        action: "knowledge.document_added",
        target: { type: "document", id },
        metadata: { title: input.title, chunks: prepared.chunks?.length ?? null },
      });
      return doc;
    });
  } catch (error) {
    // The same content sent twice at once: the unique index keeps one, and the other gets it back.
    if (!isUniqueViolation(error)) throw error;
    const winner = await deps.db
      .selectFrom("kb_documents")
      .select(documentColumns)
      .where("tenant_id", "=", tenantId)
      .where("content_hash", "=", prepared.hash)
      .executeTakeFirstOrThrow();
    return { ...view(winner), duplicate: true };
  }
  if (row.status === "processing") await enqueueIngestion(deps.jobs, row);
  return { ...view(row), duplicate: false };
}

/** Replaces a document's content and re-indexes it: all or nothing now, or by a job for the new revision. */
export async function updateDocument(deps: KnowledgeDeps, actor: Actor, tenantId: string, id: string, input: DocumentInput): Promise<DocumentView> {
  const prepared = await prepare(input);
  let row: DocumentRow;
  try {
    row = await deps.db.transaction().execute(async (trx) => {
      const doc = await trx
        .updateTable("kb_documents")
        .set((eb) => ({
          title: input.title,
          format: input.format,
          content_hash: prepared.hash,
          bytes: prepared.bytes,
          chunk_count: prepared.chunks?.length ?? 0,
          status: prepared.chunks && !deps.semantic ? "ready" : "processing",
          error: null,
          pending_source: prepared.pending,
          revision: eb("revision", "+", 1),
          updated_at: new Date(),
        }))
        .where("tenant_id", "=", tenantId)
        .where("id", "=", id)
        .returning(documentColumns)
        .executeTakeFirst();
      if (!doc) throw notFound("Document");
      await deleteChunks(trx, tenantId, id);
      if (prepared.chunks) await insertChunks(trx, tenantId, id, chunkRows(input.title, prepared.chunks));
      await insertAudit(trx, actor, { tenantId, action: "knowledge.document_updated", target: { type: "document", id } });
      return doc;
    });
  } catch (error) {
    // The unique index on content: another of the tenant's documents already says exactly this.
    if (isUniqueViolation(error)) throw conflict("Another document in this knowledge base already has exactly this title and content");
    throw error;
  }
  if (row.status === "processing") await enqueueIngestion(deps.jobs, row);
  return view(row);
}

/** Deletes a document from every index. */
export async function deleteDocument(deps: KnowledgeDeps, actor: Actor, tenantId: string, id: string): Promise<{ deleted: true; id: string }> {
  await deps.db.transaction().execute(async (trx) => {
    const doc = await trx.selectFrom("kb_documents").select("id").where("tenant_id", "=", tenantId).where("id", "=", id).forUpdate().executeTakeFirst();
    if (!doc) throw notFound("Document");
    await deleteChunks(trx, tenantId, id);
    await trx.deleteFrom("kb_documents").where("id", "=", id).execute();
    await insertAudit(trx, actor, { tenantId, action: "knowledge.document_deleted", target: { type: "document", id } });
  });
  await deps.semantic?.removeDocument(tenantId, id);
  return { deleted: true, id };
}

export async function listDocuments(db: Kysely<DB>, tenantId: string): Promise<DocumentView[]> {
  const rows = await db
    .selectFrom("kb_documents")
    .select(documentColumns)
    .where("tenant_id", "=", tenantId)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
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
export async function importUrl(
  deps: KnowledgeDeps,
  actor: Actor,
  tenantId: string,
  input: { url: string; sitemap: boolean },
  policy: FetchPolicy,
): Promise<ImportResult> {
  if (!input.sitemap) return { documents: [await importPage(deps, actor, tenantId, input.url, policy)], failed: [] };
  const sitemap = await safeFetch(input.url, policy);
  const urls = sitemapUrls(sitemap.body, SITEMAP_PAGE_LIMIT);
  if (urls.length === 0) throw invalidInput("The sitemap lists no pages", { url: ["no <loc> entries"] });
  const result: ImportResult = { documents: [], failed: [] };
  for (const url of urls) {
    try {
      result.documents.push(await importPage(deps, actor, tenantId, url, policy));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      result.failed.push({ url, error: error.message });
    }
  }
  return result;
}

/** Imports a page; a page imported before is the same document, re-indexed when its content changed. */
async function importPage(
  deps: KnowledgeDeps,
  actor: Actor,
  tenantId: string,
  url: string,
  policy: FetchPolicy,
): Promise<DocumentView & { duplicate: boolean }> {
  const page = await safeFetch(url, policy);
  const isHtml = /html/i.test(page.contentType) || /^\s*</.test(page.body);
  const format: DocumentFormat = isHtml ? "html" : /markdown/i.test(page.contentType) || /\.md$/i.test(new URL(page.url).pathname) ? "markdown" : "text";
  const title = (isHtml ? htmlToText(page.body).title : null) ?? new URL(page.url).pathname.split("/").filter(Boolean).pop() ?? new URL(page.url).hostname;
  const input: DocumentInput = { title: title.slice(0, 300), content: page.body, format, sourceUrl: page.url };
  const previous = await deps.db
    .selectFrom("kb_documents")
    .select(documentColumns)
    .where("tenant_id", "=", tenantId)
    .where("source_url", "=", page.url)
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  if (!previous) return addDocument(deps, actor, tenantId, input);
  if (previous.content_hash === documentHash(input)) return { ...view(previous), duplicate: true };
  return { ...(await updateDocument(deps, actor, tenantId, previous.id, input)), duplicate: false };
}
