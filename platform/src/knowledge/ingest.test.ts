import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bearer,
  rest,
  signUpAccount,
  startEmbeddingsStandIn,
  startQdrantStandIn,
  type EmbeddingsStandIn,
  type QdrantStandIn,
  type TestAccount,
} from "@bizbot/testing";
import { startTestApp } from "../../test/harness.ts";
import { createInlineQueue } from "../jobs/queue.ts";
import { createLogger } from "../log.ts";
import type { App } from "../main.ts";
import { createEmbeddingProvider } from "./embeddings.ts";
import { ingestDocument, resumeIngestion } from "./ingest.ts";
import { SemanticIndex } from "./semantic.ts";
import { addDocument, INLINE_INDEX_BYTES, updateDocument, type DocumentView } from "./service.ts";
import { createQdrantIndex } from "./vectors.ts";

const system = { type: "system" as const, id: null };
type SearchBody = { results: Array<{ documentId: string; chunkId: string; score: number }>; mode: string; notice?: string };

async function waitForStatus(app: App, id: string, status: DocumentView["status"], timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const doc = await app.deps.db.selectFrom("kb_documents").select(["status", "error", "chunk_count"]).where("id", "=", id).executeTakeFirstOrThrow();
    if (doc.status === status) return doc;
    if (Date.now() > deadline) throw new Error(`document ${id} is ${doc.status} (${doc.error}), not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A markdown manual bigger than what is indexed during the request. */
function largeManual(topic: string): string {
  const sections: string[] = [];
  for (let i = 0; Buffer.byteLength(sections.join("\n")) <= INLINE_INDEX_BYTES; i++) {
    sections.push(`## ${topic} section ${i}\n\n${Array.from({ length: 150 }, (_, w) => `word${(i * 7 + w) % 997}`).join(" ")} ${topic}.`);
  }
  return sections.join("\n\n");
}

describe("ingestion jobs", () => {
  let app: App;
  let account: TestAccount;
  beforeAll(async () => {
    app = await startTestApp();
    account = await signUpAccount(app.url);
  });
  afterAll(() => app?.close());

  it("ingests a large document in the background, showing processing until it is searchable", async () => {
    const key = bearer(account.keys.live.secret.key);
    const created = await rest<DocumentView>(app.url, "POST", "/v1/knowledge/documents", {
      headers: key,
      body: { title: "Operations manual", content: largeManual("xylophone"), format: "markdown" },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ status: "processing", chunkCount: 0 });
    const done = await waitForStatus(app, created.body.id, "ready");
    expect(done.chunk_count).toBeGreaterThan(50);
    const found = await rest<SearchBody>(app.url, "POST", "/v1/knowledge/search", { headers: key, body: { query: "xylophone section 12" } });
    expect(found.body.results[0]!.documentId).toBe(created.body.id);
    const listed = await rest<{ documents: DocumentView[] }>(app.url, "GET", "/v1/knowledge/documents", { headers: key });
    expect(listed.body.documents.find((d) => d.id === created.body.id)).toMatchObject({ status: "ready", error: null });
    // What was uploaded is not kept once indexed.
    const row = await app.deps.db.selectFrom("kb_documents").select("pending_source").where("id", "=", created.body.id).executeTakeFirstOrThrow();
    expect(row.pending_source).toBeNull();
  });

  it("marks a document failed, with the reason, when its job finds it cannot be indexed", async () => {
    const key = bearer(account.keys.live.secret.key);
    // Past the size indexed in the request, a PDF is only opened by the job.
    const corrupt = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(INLINE_INDEX_BYTES + 10, 7)]).toString("base64");
    const created = await rest<DocumentView>(app.url, "POST", "/v1/knowledge/documents", {
      headers: key,
      body: { title: "Broken", content: corrupt, format: "pdf" },
    });
    expect(created.body.status).toBe("processing");
    const failed = await waitForStatus(app, created.body.id, "failed");
    expect(failed.error).toMatch(/not a readable PDF/);
    expect(failed.chunk_count).toBe(0);
  });

  it("leaves a newer revision alone, and resumes the work a stopped process left", async () => {
    // A process that queues but runs nothing stands for one that stopped before its job ran.
    const stopped = {
      ...app.deps,
      jobs: createInlineQueue({ ingest: async () => {}, agentRun: async () => {} }, app.deps.log, { run: false, concurrency: { ingest: 1, agentRun: 1 } }),
    };
    const doc = await addDocument(stopped, system, account.tenant.id, { title: "Left behind", content: largeManual("marimba"), format: "markdown" });
    expect(doc.status).toBe("processing");
    // A job for another revision does nothing.
    await ingestDocument(app.deps, { documentId: doc.id, revision: 0 }, { number: 1, final: true });
    expect((await waitForStatus(app, doc.id, "processing")).chunk_count).toBe(0);
    expect(await resumeIngestion(app.deps.db, app.deps.jobs, new Date())).toBeGreaterThanOrEqual(1);
    expect((await waitForStatus(app, doc.id, "ready")).chunk_count).toBeGreaterThan(50);
  });
});

describe("hybrid search: embeddings and Qdrant", () => {
  let app: App;
  let a: TestAccount;
  let b: TestAccount;
  let embeddings: EmbeddingsStandIn;
  let qdrant: QdrantStandIn;
  const model = `test-model-${Date.now()}`;
  const keyOf = (account: TestAccount) => bearer(account.keys.live.secret.key);
  const addReady = async (account: TestAccount, title: string, content: string) => {
    const created = await rest<DocumentView>(app.url, "POST", "/v1/knowledge/documents", { headers: keyOf(account), body: { title, content, format: "text" } });
    expect(created.body.status).toBe("processing");
    await waitForStatus(app, created.body.id, "ready");
    return created.body;
  };
  const searchAs = (account: TestAccount, query: string) =>
    rest<SearchBody>(app.url, "POST", "/v1/knowledge/search", { headers: keyOf(account), body: { query, limit: 10 } }).then((r) => r.body);

  beforeAll(async () => {
    embeddings = await startEmbeddingsStandIn();
    qdrant = await startQdrantStandIn();
    app = await startTestApp({ EMBEDDINGS_URL: embeddings.url, QDRANT_URL: qdrant.url, EMBEDDINGS_MODEL: model });
    a = await signUpAccount(app.url);
    b = await signUpAccount(app.url);
  });
  afterAll(async () => {
    await app?.close();
    await embeddings?.close();
    await qdrant?.close();
  });

  it("embeds documents by job and fuses both rankings; a tenant never finds another's documents", async () => {
    const refunds = await addReady(a, "Refunds", "Unused credits are refunded within thirty days of purchase.");
    await addReady(a, "Keys", "Secret keys are stored hashed and shown once.");
    const secret = await addReady(b, "B's recipe", "Our saffron risotto uses refunded credits of saffron.");

    const found = await searchAs(a, "are unused credits refunded");
    expect(found.mode).toBe("hybrid");
    expect(found.results[0]!.documentId).toBe(refunds.id);
    // First in both rankings: 1/61 + 1/61.
    expect(found.results[0]!.score).toBeCloseTo(2 / 61, 6);
    expect(found.results.map((r) => r.documentId)).not.toContain(secret.id);

    const fromB = await searchAs(b, "Unused credits are refunded within thirty days of purchase");
    expect(fromB.mode).toBe("hybrid");
    expect(fromB.results.map((r) => r.documentId)).toEqual([secret.id]);

    // Every read of the vector index carried the searching tenant's filter.
    const queries = qdrant.requests.filter((r) => r.path.endsWith("/points/query"));
    expect(queries.length).toBeGreaterThanOrEqual(2);
    for (const q of queries) {
      const must = (q.body as { filter: { must: Array<{ key: string; match: { value: string } }> } }).filter.must;
      expect([a.tenant.id, b.tenant.id]).toContain(must.find((c) => c.key === "tenant_id")!.match.value);
    }
  });

  it("keeps a newer revision's vectors when the job of an older one finishes after it", async () => {
    const doc = await addReady(a, "Ferries", "Ferries leave the harbour every hour.");
    const chunksOf = async () => (await app.deps.db.selectFrom("kb_chunks").select("id").where("document_id", "=", doc.id).execute()).map((c) => c.id);
    const older = await chunksOf();
    const { revision } = await app.deps.db.selectFrom("kb_documents").select("revision").where("id", "=", doc.id).executeTakeFirstOrThrow();
    // The older revision's job, caught while its embeddings are computed.
    await app.deps.db.updateTable("kb_documents").set({ status: "processing" }).where("id", "=", doc.id).execute();
    let embedding!: () => void;
    const reached = new Promise<void>((resolve) => (embedding = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const provider = createEmbeddingProvider({ provider: "openai", url: embeddings.url, model });
    const log = createLogger("silent");
    const held = new SemanticIndex(
      {
        name: "held",
        model,
        embed: async (texts, kind) => {
          embedding();
          await gate;
          return provider.embed(texts, kind);
        },
      },
      createQdrantIndex({ url: qdrant.url, model }),
      log,
    );
    const stale = ingestDocument({ db: app.deps.db, semantic: held, log }, { documentId: doc.id, revision }, { number: 1, final: true });
    await reached;
    // Meanwhile the document changes, and the newer revision's job runs to the end.
    await updateDocument(app.deps, system, a.tenant.id, doc.id, { title: "Ferries", content: "Ferries leave the north pier every half hour.", format: "text" });
    await waitForStatus(app, doc.id, "ready");
    release();
    await stale;

    const current = await chunksOf();
    const points = (await createQdrantIndex({ url: qdrant.url, model }).search(a.tenant.id, new Array(256).fill(1 / 16), 1000)).map((h) => h.chunkId);
    expect(points).toEqual(expect.arrayContaining(current));
    expect(points.filter((id) => older.includes(id))).toEqual([]);
  });

  it("fills the results asked for even when stray vectors rank among the best", async () => {
    const c = await signUpAccount(app.url);
    const crossings = await addReady(c, "Crossings", "Zebra crossing rules: drivers stop at a zebra crossing.");
    const zoo = await addReady(c, "Zoo", "Giraffe, kangaroo, penguin, walrus, otter, lemur, tapir, bison and zebra enclosures.");
    // Vectors of chunks that are gone (a failed best-effort delete), nearer the question than any real chunk.
    const index = createQdrantIndex({ url: qdrant.url, model });
    const vector = (await createEmbeddingProvider({ provider: "openai", url: embeddings.url, model }).embed(["zebra crossing"], "query"))[0]!;
    await index.upsert(
      c.tenant.id,
      ["chk_gone_1", "chk_gone_2", "chk_gone_3"].map((chunkId) => ({ chunkId, documentId: "doc_gone", revision: 1, vector })),
    );
    const found = await rest<SearchBody>(app.url, "POST", "/v1/knowledge/search", { headers: keyOf(c), body: { query: "zebra crossing", limit: 2 } });
    expect(found.body.mode).toBe("hybrid");
    expect(found.body.results.map((r) => r.documentId)).toEqual([crossings.id, zoo.id]);
  });

  it("removes a deleted document's vectors", async () => {
    const doc = await addReady(a, "Temporary", "Quokka sightings are reported weekly.");
    const res = await rest(app.url, "DELETE", `/v1/knowledge/documents/${doc.id}`, { headers: keyOf(a) });
    expect(res.status).toBe(200);
    const deletes = qdrant.requests.filter((r) => r.path.endsWith("/points/delete")).map((r) => JSON.stringify(r.body));
    expect(deletes.some((d) => d.includes(doc.id) && d.includes(a.tenant.id))).toBe(true);
    expect((await searchAs(a, "quokka sightings")).results).toEqual([]);
  });

  it("retries an embedding that failed, and marks the document failed after the last attempt while keyword search keeps it", async () => {
    embeddings.failNext(503, 1);
    await addReady(a, "Retried", "Pelican deliveries arrive on Tuesdays.");

    embeddings.failNext(503, 3);
    const created = await rest<DocumentView>(app.url, "POST", "/v1/knowledge/documents", {
      headers: keyOf(a),
      body: { title: "Doomed", content: "Narwhal tusks are teeth.", format: "text" },
    });
    const failed = await waitForStatus(app, created.body.id, "failed");
    expect(failed.error).toMatch(/Keyword search has this document, but its semantic index failed: .*503/);
    const found = await searchAs(a, "narwhal tusks");
    expect(found.results[0]!.documentId).toBe(created.body.id);
  });

  it("answers from BM25 alone, and says so, while the vector index is down", async () => {
    qdrant.setDown(true);
    try {
      const started = Date.now();
      const first = await searchAs(a, "unused credits refunded");
      expect(first.mode).toBe("lexical");
      expect(first.notice).toMatch(/Semantic search is unavailable/);
      expect(first.results.length).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(5_000);
      // Later searches do not wait for the outage again.
      const again = Date.now();
      expect((await searchAs(a, "secret keys")).mode).toBe("lexical");
      expect(Date.now() - again).toBeLessThan(1_000);
    } finally {
      qdrant.setDown(false);
    }
  });
});
