import type { Logger } from "pino";
import type { EmbeddingProvider } from "./embeddings.ts";
import type { Revisions, VectorHit, VectorIndex } from "./vectors.ts";

/** After a failure, semantic search is skipped for this long, so that an outage costs one timeout, not one per search. */
const RETRY_AFTER_MS = 30_000;
/** A search waits this long for its query's embedding and nearest chunks before answering from BM25 alone. */
const SEARCH_TIMEOUT_MS = 2_000;
/**
 * Nearest neighbours always exist, related or not: below this cosine similarity a chunk is not offered. Unrelated
 * text scores about 0.0-0.2 with current embedding models, related text 0.4 and up; EMBEDDINGS_MIN_SIMILARITY
 * changes it per deployment.
 */
const DEFAULT_MIN_SIMILARITY = 0.3;

export interface EmbeddedChunk {
  id: string;
  title: string;
  headingPath: string[];
  text: string;
}

/** What a semantic search found, or why it could not answer (the search then says so and answers lexically). */
export type SemanticAnswer = { hits: VectorHit[] } | { unavailable: string };

/** Embeddings plus the vector index: written when documents are ingested, read by hybrid search. */
export class SemanticIndex {
  private downUntil = 0;
  private downReason = "";

  constructor(
    private readonly embeddings: EmbeddingProvider,
    private readonly vectors: VectorIndex,
    private readonly log: Logger,
    private readonly minSimilarity = DEFAULT_MIN_SIMILARITY,
  ) {}

  /**
   * Replaces a document's vectors with those of a revision's chunks. The new points go in before older revisions'
   * are removed, so the document is never without vectors; only older revisions' are removed, so a job for a revision
   * that a newer one overtook cannot remove the newer one's (its own are removed by `removeDocument` with `only`).
   * Throws when either service fails; the job retries.
   */
  async indexDocument(tenantId: string, documentId: string, revision: number, chunks: EmbeddedChunk[]): Promise<void> {
    // The title and headings go in with the text: a passage alone often does not say what it is about.
    const vectors = await this.embeddings.embed(
      chunks.map((c) => [c.title, ...c.headingPath, c.text].join("\n")),
      "document",
    );
    await this.vectors.ensureCollection(vectors[0]!.length);
    await this.vectors.upsert(
      tenantId,
      chunks.map((c, i) => ({ chunkId: c.id, documentId, revision, vector: vectors[i]! })),
    );
    await this.vectors.deleteDocument(tenantId, documentId, { before: revision });
  }

  /**
   * Removes a deleted document's vectors, or those of one revision a newer one overtook. Best effort: vectors left
   * behind are never shown, because every hit is looked up again among the tenant's chunks in Postgres.
   */
  async removeDocument(tenantId: string, documentId: string, revisions?: Revisions): Promise<void> {
    await this.vectors.deleteDocument(tenantId, documentId, revisions).catch((error: unknown) => {
      this.log.warn({ err: error, tenantId, documentId }, "could not delete a document's vectors; they will never be shown");
    });
  }

  async search(tenantId: string, query: string, limit: number): Promise<SemanticAnswer> {
    if (Date.now() < this.downUntil) return { unavailable: this.downReason };
    try {
      const hits = await withTimeout(
        (async () => {
          const [vector] = await this.embeddings.embed([query], "query");
          await this.vectors.ensureCollection(vector!.length);
          return this.vectors.search(tenantId, vector!, limit);
        })(),
        SEARCH_TIMEOUT_MS,
      );
      return { hits: hits.filter((h) => h.score >= this.minSimilarity) };
    } catch (error) {
      this.downUntil = Date.now() + RETRY_AFTER_MS;
      this.downReason = `Semantic search is unavailable (${error instanceof Error ? error.message : String(error)}); these results are from keyword search alone`;
      this.log.warn({ err: error }, "semantic search failed; answering from BM25 alone for 30 s");
      return { unavailable: this.downReason };
    }
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
