import { randomUUID } from "node:crypto";
import { QdrantClient } from "@qdrant/js-client-rest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hashEmbedding, startQdrantStandIn, type QdrantStandIn, type RecordedRequest } from "@bizbot/testing";
import { DomainError } from "../errors.ts";
import { collectionName, createQdrantIndex, type VectorIndex } from "./vectors.ts";

const DIMENSIONS = 256;
const embed = (text: string) => hashEmbedding(text, DIMENSIONS);
const unique = (prefix: string) => `${prefix}_${randomUUID().slice(0, 8)}`;

const faq = {
  returns: "You can return an order within thirty days for a full refund",
  shipping: "Shipping takes three to five working days inside the country",
  hours: "Our office is open daily from eight in the morning to eight in the evening",
};

/**
 * What the adapter promises, whichever Qdrant answers: run against the stand-in always and against a real Qdrant
 * when QDRANT_URL is set. Each run uses its own model id, so its own collection.
 */
function adapterContract(target: () => { url: string; apiKey?: string | undefined }) {
  const model = unique("contract-model");
  let index: VectorIndex;
  beforeAll(async () => {
    index = createQdrantIndex({ ...target(), model, timeoutMs: 5_000 });
    await index.ensureCollection(DIMENSIONS);
  });

  const seed = async (tenantId: string, documentId = unique("doc")) => {
    const chunks = Object.entries(faq).map(([name, text]) => ({ chunkId: unique(`chk_${name}`), documentId, revision: 1, vector: embed(text), name }));
    await index.upsert(tenantId, chunks);
    return { documentId, chunk: Object.fromEntries(chunks.map((c) => [c.name, c.chunkId])) as Record<keyof typeof faq, string> };
  };

  it("finds the nearest chunk, best first", async () => {
    const tenant = unique("ten");
    const { chunk } = await seed(tenant);
    const hits = await index.search(tenant, embed("how do I return my order"), 3);
    expect(hits.map((h) => h.chunkId)).toEqual(expect.arrayContaining([chunk.returns]));
    expect(hits[0]).toMatchObject({ chunkId: chunk.returns });
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    expect(await index.search(tenant, embed("how long does shipping take"), 1)).toEqual([{ chunkId: chunk.shipping, score: expect.any(Number) }]);
  });

  it("never returns another tenant's points, even for their exact vector", async () => {
    const [a, b] = [unique("ten_a"), unique("ten_b")];
    await seed(a);
    const own = await seed(b);
    const hits = await index.search(b, embed(faq.returns), 10);
    expect(hits.map((h) => h.chunkId).sort()).toEqual(Object.values(own.chunk).sort());
    expect(await index.search(unique("ten_empty"), embed(faq.returns), 10)).toEqual([]);
  });

  it("deletes one tenant's document and nothing else, even when another tenant uses the same document id", async () => {
    const [a, b] = [unique("ten_a"), unique("ten_b")];
    const shared = unique("doc");
    await seed(a, shared);
    const other = await seed(a);
    await seed(b, shared);
    await index.deleteDocument(a, shared);
    expect((await index.search(a, embed(faq.returns), 10)).map((h) => h.chunkId).sort()).toEqual(Object.values(other.chunk).sort());
    expect(await index.search(b, embed(faq.returns), 10)).toHaveLength(3);
  });

  it("deletes a document's points of older revisions, or of one revision, and keeps the rest", async () => {
    const tenant = unique("ten");
    const documentId = unique("doc");
    const point = (chunkId: string, revision: number) => ({ chunkId, documentId, revision, vector: embed(faq.returns) });
    await index.upsert(tenant, [point("chk_r1", 1), point("chk_r2", 2), point("chk_r3", 3)]);
    const left = async () => (await index.search(tenant, embed(faq.returns), 10)).map((h) => h.chunkId).sort();
    await index.deleteDocument(tenant, documentId, { before: 3 });
    expect(await left()).toEqual(["chk_r3"]);
    await index.upsert(tenant, [point("chk_r2", 2)]);
    await index.deleteDocument(tenant, documentId, { only: 2 });
    expect(await left()).toEqual(["chk_r3"]);
  });

  it("replaces a chunk's point when the chunk is upserted again", async () => {
    const tenant = unique("ten");
    const documentId = unique("doc");
    await index.upsert(tenant, [{ chunkId: "chk_same", documentId, revision: 1, vector: embed(faq.hours) }]);
    await index.upsert(tenant, [{ chunkId: "chk_same", documentId, revision: 1, vector: embed(faq.shipping) }]);
    const hits = await index.search(tenant, embed(faq.shipping), 10);
    expect(hits).toEqual([{ chunkId: "chk_same", score: expect.closeTo(1, 3) }]);
    // The same chunk id under another tenant is another point: it neither overwrites nor is overwritten.
    const other = unique("ten");
    await index.upsert(other, [{ chunkId: "chk_same", documentId, revision: 1, vector: embed(faq.hours) }]);
    expect(await index.search(tenant, embed(faq.shipping), 10)).toEqual(hits);
    expect(await index.search(other, embed(faq.hours), 10)).toEqual([{ chunkId: "chk_same", score: expect.closeTo(1, 3) }]);
  });

  it("is idempotent and safe to call concurrently, from one instance or several", async () => {
    const other = createQdrantIndex({ ...target(), model });
    await expect(
      Promise.all([index.ensureCollection(DIMENSIONS), index.ensureCollection(DIMENSIONS), other.ensureCollection(DIMENSIONS)]),
    ).resolves.toBeDefined();
  });

  it("refuses a vector of the wrong size with a clear error", async () => {
    const tenant = unique("ten");
    await expect(index.upsert(tenant, [{ chunkId: "chk_short", documentId: "doc_x", revision: 1, vector: [1, 0, 0] }])).rejects.toMatchObject({
      reason: "unavailable",
      message: expect.stringMatching(/upserting points in .* failed: Qdrant answered 400: .*dimension.*expected dim: 256, got 3/),
    });
    await expect(index.search(tenant, [1, 0, 0], 5)).rejects.toThrow(/dimension/);
    await expect(createQdrantIndex({ ...target(), model }).ensureCollection(32)).rejects.toThrow(/holds vectors of 256 dimensions but .* gives 32/);
  });

  return model;
}

describe("Qdrant adapter, against the stand-in", () => {
  let qdrant: QdrantStandIn;
  beforeAll(async () => {
    qdrant = await startQdrantStandIn();
  });
  afterAll(() => qdrant?.close());

  const model = adapterContract(() => ({ url: qdrant.url }));
  const collection = collectionName(model);
  const sent = (method: string, suffix: string) => qdrant.requests.filter((r) => r.method === method && r.path === `/collections/${collection}${suffix}`);

  it("names one collection per model, sanitised", () => {
    expect(collectionName("text-embedding-3-small")).toBe("bizbot_chunks__text_embedding_3_small");
    expect(collectionName("nomic-embed-text:v1.5")).toBe("bizbot_chunks__nomic_embed_text_v1_5");
  });

  // This test and the next read the requests the contract above sent.
  it("created the collection and the tenant index once, with is_tenant", () => {
    expect(sent("PUT", "").map((r) => r.body)).toEqual([{ vectors: { size: DIMENSIONS, distance: "Cosine" } }]);
    expect(sent("PUT", "/index")).toEqual([
      expect.objectContaining({ query: { wait: "true" }, body: { field_name: "tenant_id", field_schema: { type: "keyword", is_tenant: true } } }),
    ]);
  });

  it("scoped every search and delete by tenant, and wrote the tenant into every point", () => {
    const scoped = (r: RecordedRequest) => (r.body as { filter: { must: unknown[] } }).filter.must[0];
    const searches = sent("POST", "/points/query");
    const deletes = sent("POST", "/points/delete");
    expect(searches.length).toBeGreaterThan(5);
    expect(deletes.length).toBeGreaterThan(0);
    for (const r of [...searches, ...deletes]) expect(scoped(r)).toEqual({ key: "tenant_id", match: { value: expect.stringMatching(/^ten_/) } });
    for (const r of deletes)
      expect((r.body as { filter: { must: unknown[] } }).filter.must).toContainEqual({ key: "document_id", match: { value: expect.any(String) } });
    const upserts = sent("PUT", "/points");
    for (const r of [...upserts, ...deletes]) expect(r.query.wait).toBe("true");
    for (const r of upserts) {
      for (const point of (r.body as { points: Array<{ id: string; payload: Record<string, string> }> }).points) {
        expect(point.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(Object.keys(point.payload).sort()).toEqual(["chunk_id", "document_id", "revision", "tenant_id"]);
      }
    }
  });

  it("lets two instances race to create a fresh collection", async () => {
    const fresh = unique("race-model");
    const [a, b] = [createQdrantIndex({ url: qdrant.url, model: fresh }), createQdrantIndex({ url: qdrant.url, model: fresh })];
    await Promise.all([a.ensureCollection(DIMENSIONS), a.ensureCollection(DIMENSIONS), b.ensureCollection(DIMENSIONS)]);
    const creations = qdrant.requests.filter((r) => r.method === "PUT" && r.path === `/collections/${collectionName(fresh)}`);
    expect(creations).toHaveLength(2); // one per instance; the loser's 409 is taken as success
    await a.upsert("ten_race", [{ chunkId: "chk_1", documentId: "doc_1", revision: 1, vector: embed(faq.hours) }]);
    expect(await b.search("ten_race", embed(faq.hours), 1)).toEqual([{ chunkId: "chk_1", score: expect.closeTo(1, 3) }]);
  });

  it("upserts in batches of 256 points", async () => {
    const index = createQdrantIndex({ url: qdrant.url, model });
    const before = sent("PUT", "/points").length;
    const points = Array.from({ length: 600 }, (_, i) => ({ chunkId: `chk_${i}`, documentId: "doc_bulk", revision: 1, vector: embed(`chunk ${i}`) }));
    await index.upsert(unique("ten"), points);
    expect(
      sent("PUT", "/points")
        .slice(before)
        .map((r) => (r.body as { points: unknown[] }).points.length),
    ).toEqual([256, 256, 88]);
  });

  describe("when Qdrant is out", () => {
    let index: VectorIndex;
    beforeEach(() => {
      index = createQdrantIndex({ url: qdrant.url, model, timeoutMs: 300 });
    });

    it("gives up after its timeout when Qdrant hangs", async () => {
      qdrant.setDown(true);
      const started = Date.now();
      try {
        const error = await index.search("ten_a", embed("hello"), 5).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DomainError);
        expect(error).toMatchObject({ reason: "unavailable", message: expect.stringContaining("no answer within 0.3 s") });
        expect(Date.now() - started).toBeLessThan(2_000);
      } finally {
        qdrant.setDown(false);
      }
    });

    it("reports an error status, and retries creation on the next call after a failure", async () => {
      qdrant.failNext(503);
      await expect(index.deleteDocument("ten_a", "doc_a")).rejects.toMatchObject({
        reason: "unavailable",
        message: expect.stringContaining("Qdrant answered 503"),
      });
      qdrant.failNext(500);
      await expect(index.ensureCollection(DIMENSIONS)).rejects.toThrow(/checking the collection .* 500/);
      await expect(index.ensureCollection(DIMENSIONS)).resolves.toBeUndefined();
    });

    it("reports a refused connection", async () => {
      const gone = await startQdrantStandIn();
      await gone.close();
      await expect(createQdrantIndex({ url: gone.url, model }).search("ten_a", embed("hello"), 5)).rejects.toMatchObject({
        reason: "unavailable",
        message: expect.stringContaining("cannot connect (ECONNREFUSED)"),
      });
    });
  });
});

const realQdrant = process.env.QDRANT_URL;
if (!realQdrant) console.warn("[skipped] Qdrant adapter against a real Qdrant: set QDRANT_URL (and QDRANT_API_KEY if it needs one) to run it");

describe.runIf(realQdrant)("Qdrant adapter, against a real Qdrant", () => {
  const target = { url: realQdrant!, apiKey: process.env.QDRANT_API_KEY };
  const model = adapterContract(() => target);
  afterAll(async () => {
    await new QdrantClient({ ...target, checkCompatibility: false }).deleteCollection(collectionName(model));
  });
});
