import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { DB } from "../db/schema.ts";
import { DomainError, invalidInput } from "../errors.ts";
import type { Attempt, JobQueue } from "../jobs/queue.ts";
import { newId } from "../lib/ids.ts";
import type { Chunk } from "./chunking.ts";
import { chunkDocument, type DocumentFormat } from "./formats.ts";
import { pdfToText } from "./pdf.ts";
import { deleteChunks, insertChunks } from "./repository.ts";
import type { SemanticIndex } from "./semantic.ts";

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

const tooLarge = (bytes: number) => new DomainError("payload_too_large", `A document is at most 10 MB; this one is ${(bytes / 1048576).toFixed(1)} MB`);

/** The uploaded bytes: a PDF decoded from its base64, anything else as UTF-8. Refuses what is too big or not a PDF. */
export function readSource(format: DocumentFormat, content: string): Buffer {
  if (format !== "pdf") {
    const bytes = Buffer.from(content, "utf8");
    if (bytes.length > MAX_DOCUMENT_BYTES) throw tooLarge(bytes.length);
    return bytes;
  }
  const base64 = content.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) throw invalidInput("A PDF is sent as base64", { content: ["is not base64"] });
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length > MAX_DOCUMENT_BYTES) throw tooLarge(bytes.length);
  // The signature may follow some junk, but within the first kilobyte (as PDF readers allow).
  if (!bytes.subarray(0, 1024).includes("%PDF-")) throw invalidInput("The file is not a readable PDF", { content: ["is not a PDF"] });
  return bytes;
}

/** Normalised text, or a clear refusal of what cannot be indexed: nothing but blanks, or binary data sent as text. */
export function checkText(content: string): string {
  const normalized = content.replace(/\r\n?/g, "\n").trim();
  if (!normalized) throw invalidInput("The document is empty", { content: ["is empty"] });
  const replacements = normalized.match(/\uFFFD/g)?.length ?? 0;
  if (normalized.includes("\u0000") || replacements > normalized.length / 100) {
    throw invalidInput("The document is not text (it looks like binary data)", { content: ["is not text"] });
  }
  return normalized;
}

/** A document's text: the upload itself, or the text inside a PDF. */
export async function textOf(format: DocumentFormat, source: Buffer): Promise<string> {
  return checkText(format === "pdf" ? await pdfToText(source) : source.toString("utf8"));
}

export const chunkRows = (title: string, chunks: Chunk[]) =>
  chunks.map((c, ordinal) => ({ id: newId("chunk"), ordinal, title, headingPath: c.headingPath, text: c.text }));

/** One job per document revision: queueing the same revision twice is one job. */
export function enqueueIngestion(jobs: JobQueue, doc: { id: string; revision: number }): Promise<void> {
  return jobs.enqueue("ingest", { documentId: doc.id, revision: doc.revision }, `ingest-${doc.id}-${doc.revision}`);
}

export interface IngestDeps {
  db: Kysely<DB>;
  semantic: SemanticIndex | null;
  log: Logger;
}

/**
 * The ingestion job: indexes what a document's revision left pending (text extraction and BM25), then its
 * embeddings when semantic search is on, then marks it ready. Safe to run twice, and a job for an older revision
 * does nothing. A failure that retrying cannot fix (a PDF without text), or the last attempt's, marks it failed.
 */
export async function ingestDocument(deps: IngestDeps, job: { documentId: string; revision: number }, attempt: Attempt): Promise<void> {
  const doc = await deps.db
    .selectFrom("kb_documents")
    .select(["id", "tenant_id", "title", "format", "status", "revision", "pending_source"])
    .where("id", "=", job.documentId)
    .executeTakeFirst();
  if (!doc || doc.revision !== job.revision || doc.status !== "processing") return;
  const current = () => deps.db.updateTable("kb_documents").where("id", "=", doc.id).where("revision", "=", doc.revision);
  let searchable = !doc.pending_source;
  try {
    if (doc.pending_source) {
      const format = doc.format as DocumentFormat;
      // PGlite hands bytea back as a plain Uint8Array, node-postgres as a Buffer.
      const chunks = chunkDocument(format, await textOf(format, Buffer.from(doc.pending_source)));
      searchable = await deps.db.transaction().execute(async (trx) => {
        const locked = await trx.selectFrom("kb_documents").select("revision").where("id", "=", doc.id).forUpdate().executeTakeFirst();
        if (locked?.revision !== doc.revision) return false;
        await deleteChunks(trx, doc.tenant_id, doc.id);
        await insertChunks(trx, doc.tenant_id, doc.id, chunkRows(doc.title, chunks));
        await trx.updateTable("kb_documents").set({ pending_source: null, chunk_count: chunks.length }).where("id", "=", doc.id).execute();
        return true;
      });
      if (!searchable) return;
    }
    if (deps.semantic) {
      const chunks = await deps.db
        .selectFrom("kb_chunks")
        .select(["id", "title", "heading_path as headingPath", "text"])
        .where("tenant_id", "=", doc.tenant_id)
        .where("document_id", "=", doc.id)
        .orderBy("ordinal")
        .execute();
      // A newer revision's job may have run meanwhile: its vectors are the ones to keep.
      const now = await deps.db.selectFrom("kb_documents").select("revision").where("id", "=", doc.id).executeTakeFirst();
      if (now?.revision !== doc.revision) return;
      await deps.semantic.indexDocument(doc.tenant_id, doc.id, doc.revision, chunks);
    }
    const { numUpdatedRows } = await current().set({ status: "ready", error: null }).executeTakeFirst();
    // Overtaken while embedding: the newer revision's job keeps its own vectors; these are of chunks now gone.
    if (numUpdatedRows === 0n) await deps.semantic?.removeDocument(doc.tenant_id, doc.id, { only: doc.revision });
  } catch (error) {
    const permanent = error instanceof DomainError && error.status < 500;
    if (!permanent && !attempt.final) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    deps.log.warn({ err: error, documentId: doc.id, attempt: attempt.number }, "document ingestion failed");
    await current()
      .set({
        status: "failed",
        pending_source: null,
        error: searchable ? `Keyword search has this document, but its semantic index failed: ${reason}` : reason,
      })
      .execute();
  }
}

/**
 * Queues again every document still processing since before `olderThan`: the jobs a stopped process took with it
 * (inline mode), or one queued after its document was committed but never sent. Queueing a live job again is a no-op.
 */
export async function resumeIngestion(db: Kysely<DB>, jobs: JobQueue, olderThan: Date): Promise<number> {
  const stuck = await db
    .selectFrom("kb_documents")
    .select(["id", "revision"])
    .where("status", "=", "processing")
    .where("updated_at", "<", olderThan)
    .limit(1000)
    .execute();
  for (const doc of stuck) await enqueueIngestion(jobs, doc);
  return stuck.length;
}
