import { QdrantClient, QdrantClientTimeoutError, type Schemas } from "@qdrant/js-client-rest";
import { DomainError } from "../errors.ts";
import { sha256Hex } from "../lib/crypto.ts";

export interface VectorPoint {
  chunkId: string;
  documentId: string;
  /** The document revision whose chunk this is: a re-index removes older revisions' points only (semantic.ts). */
  revision: number;
  vector: number[];
}

/** Which of a document's points a delete takes: all, those of revisions before one, or one revision's. */
export type Revisions = { before: number } | { only: number };

export interface VectorHit {
  chunkId: string;
  score: number;
}

export interface VectorIndex {
  /** Creates the model's collection (cosine, given size) and the tenant_id keyword payload index with is_tenant: true, if missing. Idempotent, safe to call concurrently. */
  ensureCollection(dimensions: number): Promise<void>;
  upsert(tenantId: string, points: VectorPoint[]): Promise<void>;
  deleteDocument(tenantId: string, documentId: string, revisions?: Revisions): Promise<void>;
  search(tenantId: string, vector: number[], limit: number): Promise<VectorHit[]>;
}

export interface QdrantConfig {
  url: string;
  apiKey?: string | undefined;
  /** The embedding model's id: each model gets its own collection, since vectors of two models do not compare. */
  model: string;
  timeoutMs?: number;
}

/** Points per upsert request: 256 vectors of 3,072 floats stay well under Qdrant's default 32 MB body limit. */
const UPSERT_BATCH = 256;

export const collectionName = (model: string) =>
  `bizbot_chunks__${model
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")}`;

/**
 * Qdrant point ids must be UUIDs or unsigned integers; this one is a SHA-256 of tenant and chunk shaped as a UUID.
 * With the tenant in the hash, one tenant's upsert can never overwrite another tenant's point.
 */
function pointId(tenantId: string, chunkId: string): string {
  const hex = sha256Hex(`${tenantId}\n${chunkId}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Every read and delete is scoped by this filter; `is_tenant` on the index lets Qdrant serve it from the tenant's own segment. */
const tenantFilter = (tenantId: string, ...also: Schemas["FieldCondition"][]): Schemas["Filter"] => ({
  must: [{ key: "tenant_id", match: { value: tenantId } }, ...also],
});

export function createQdrantIndex(config: QdrantConfig): VectorIndex {
  const timeoutMs = config.timeoutMs ?? 10_000;
  // checkCompatibility would call the server from the constructor; the first real call reports an outage instead.
  const client = new QdrantClient({ url: config.url, apiKey: config.apiKey, timeout: timeoutMs, checkCompatibility: false });
  const collection = collectionName(config.model);

  const call = async <T>(action: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw failure(error, `${action} in ${collection}`, timeoutMs);
    }
  };

  async function ensure(dimensions: number): Promise<void> {
    const { exists } = await call("checking the collection", () => client.collectionExists(collection));
    if (!exists) {
      await call("creating the collection", async () => {
        try {
          await client.createCollection(collection, { vectors: { size: dimensions, distance: "Cosine" } });
        } catch (error) {
          // 409: another instance created it between our check and our call, which is fine.
          if ((error as { status?: unknown }).status !== 409) throw error;
        }
      });
    }
    const info = await call("reading the collection", () => client.getCollection(collection));
    const size = (info.config.params.vectors as { size?: unknown } | undefined)?.size;
    if (size !== dimensions) {
      throw new DomainError(
        "unavailable",
        `Vector index: ${collection} holds vectors of ${String(size)} dimensions but ${config.model} gives ${dimensions}; a model whose size changed needs a new model id or the collection dropped`,
      );
    }
    // Checked rather than assumed: a process may have stopped between creating the collection and its index.
    if (!info.payload_schema.tenant_id) {
      await call("indexing tenant_id", () =>
        client.createPayloadIndex(collection, { field_name: "tenant_id", field_schema: { type: "keyword", is_tenant: true }, wait: true }),
      );
    }
  }

  // One check per size and process, shared by concurrent callers; forgotten on failure so that the next call retries.
  const ensured = new Map<number, Promise<void>>();

  return {
    ensureCollection(dimensions) {
      let pending = ensured.get(dimensions);
      if (!pending) {
        pending = ensure(dimensions).catch((error: unknown) => {
          ensured.delete(dimensions);
          throw error;
        });
        ensured.set(dimensions, pending);
      }
      return pending;
    },

    async upsert(tenantId, points) {
      for (let start = 0; start < points.length; start += UPSERT_BATCH) {
        const batch = points.slice(start, start + UPSERT_BATCH).map((p) => ({
          id: pointId(tenantId, p.chunkId),
          vector: p.vector,
          payload: { tenant_id: tenantId, document_id: p.documentId, chunk_id: p.chunkId, revision: p.revision },
        }));
        await call("upserting points", () => client.upsert(collection, { wait: true, points: batch }));
      }
    },

    async deleteDocument(tenantId, documentId, revisions) {
      const conditions: Schemas["FieldCondition"][] = [{ key: "document_id", match: { value: documentId } }];
      if (revisions && "before" in revisions) conditions.push({ key: "revision", range: { lt: revisions.before } });
      if (revisions && "only" in revisions) conditions.push({ key: "revision", match: { value: revisions.only } });
      await call("deleting a document's points", () => client.delete(collection, { wait: true, filter: tenantFilter(tenantId, ...conditions) }));
    },

    async search(tenantId, vector, limit) {
      const { points } = await call("searching", () =>
        client.query(collection, { query: vector, filter: tenantFilter(tenantId), limit, with_payload: ["chunk_id"] }),
      );
      return points.map((p) => ({ chunkId: String(p.payload?.chunk_id), score: p.score }));
    },
  };
}

/** Whatever failed (no answer, no connection, an error status), the caller learns the index cannot serve now. */
function failure(error: unknown, what: string, timeoutMs: number): DomainError {
  const { status, data, cause, message } = error as { status?: number; data?: { status?: { error?: string } }; cause?: { code?: string }; message?: string };
  const why =
    error instanceof QdrantClientTimeoutError
      ? `no answer within ${timeoutMs / 1000} s`
      : typeof status === "number"
        ? `Qdrant answered ${status}${data?.status?.error ? `: ${data.status.error}` : ""}`
        : `cannot connect (${cause?.code ?? message})`;
  return new DomainError("unavailable", `Vector index: ${what} failed: ${why}`);
}
