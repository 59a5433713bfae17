import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashEmbedding, startEmbeddingsStandIn, type EmbeddingsStandIn } from "@bizbot/testing";
import { DomainError } from "../errors.ts";
import { createEmbeddingProvider, type EmbeddingConfig } from "./embeddings.ts";

const KEY = "sk-test-0123456789abcdef";
const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
const inputsOf = (server: EmbeddingsStandIn) => server.requests.map((r) => (r.body as { input: string[] }).input);

describe("embedding providers", () => {
  let server: EmbeddingsStandIn;
  let config: EmbeddingConfig;
  beforeAll(async () => {
    server = await startEmbeddingsStandIn({ apiKey: KEY });
    config = { provider: "openai", url: server.url, apiKey: KEY, model: "text-embedding-3-small" };
  });
  afterAll(() => server?.close());

  it("keeps the order of the texts across batches of at most 32", async () => {
    server.requests.length = 0;
    const texts = Array.from({ length: 250 }, (_, i) => `chunk number ${i} about topic ${i % 7}`);
    const vectors = await createEmbeddingProvider(config).embed(texts, "document");
    expect(inputsOf(server).map((input) => input.length)).toEqual([32, 32, 32, 32, 32, 32, 32, 26]);
    expect(vectors).toEqual(texts.map((text) => hashEmbedding(text)));
    expect(await createEmbeddingProvider(config).embed([], "query")).toEqual([]);
  });

  it("sends Voyage the input type, and OpenAI-compatible servers only model and input", async () => {
    server.requests.length = 0;
    await createEmbeddingProvider({ ...config, provider: "voyage", model: "voyage-3.5" }).embed(["a question"], "query");
    await createEmbeddingProvider({ ...config, provider: "voyage", model: "voyage-3.5" }).embed(["a passage"], "document");
    await createEmbeddingProvider(config).embed(["a passage"], "document");
    expect(server.requests.map((r) => r.body)).toEqual([
      { model: "voyage-3.5", input: ["a question"], input_type: "query" },
      { model: "voyage-3.5", input: ["a passage"], input_type: "document" },
      { model: "text-embedding-3-small", input: ["a passage"] },
    ]);
    expect(server.requests.every((r) => r.path === "/v1/embeddings" && r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
  });

  it("accepts a base URL with or without /v1", async () => {
    await expect(createEmbeddingProvider({ ...config, url: `${server.url}/v1/` }).embed(["hello"], "query")).resolves.toHaveLength(1);
  });

  it("gives similar texts closer vectors than unrelated ones", async () => {
    const [question, answer, unrelated] = await createEmbeddingProvider(config).embed(
      ["How do I return an order?", "Returning orders: you can return an order within 30 days", "Our office is open daily from eight to eight"],
      "document",
    );
    expect(cosine(question!, answer!)).toBeGreaterThan(cosine(question!, unrelated!) + 0.3);
  });

  it("reports a refused key without ever showing it, even when the server echoes it", async () => {
    const wrongKey = "sk-wrong-key-that-must-not-leak";
    for (const provider of ["openai", "voyage"] as const) {
      const error = await createEmbeddingProvider({ ...config, provider, apiKey: wrongKey })
        .embed(["hello"], "query")
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ reason: "unavailable", message: expect.stringContaining("API key was refused (401)") });
      expect(JSON.stringify(error) + (error as Error).message).not.toContain(wrongKey);
    }
  });

  it("reports an upstream error with its message, the key masked wherever it appears", async () => {
    server.failNext(500);
    await expect(createEmbeddingProvider(config).embed(["hello"], "query")).rejects.toMatchObject({
      reason: "unavailable",
      message: expect.stringMatching(/^openai embeddings at http:\/\/127\.0\.0\.1:\d+ \(text-embedding-3-small\) failed: answered 500: injected failure$/),
    });
    // A key pasted into the URL comes back in the 404's text.
    const error = (await createEmbeddingProvider({ ...config, url: `${server.url}/${KEY}` })
      .embed(["hello"], "query")
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("answered 404: No route for POST /***/v1/embeddings");
    expect(error.message).not.toContain(KEY);
  });

  it("gives up after its timeout when the server hangs, and reports a refused connection", async () => {
    server.setDown(true);
    const started = Date.now();
    try {
      await expect(createEmbeddingProvider({ ...config, timeoutMs: 300 }).embed(["hello"], "query")).rejects.toMatchObject({
        reason: "unavailable",
        message: expect.stringContaining("no answer within 0.3 s"),
      });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      server.setDown(false);
    }
    const gone = await startEmbeddingsStandIn();
    await gone.close();
    await expect(createEmbeddingProvider({ ...config, url: gone.url }).embed(["hello"], "query")).rejects.toThrow(/cannot connect \(ECONNREFUSED\)/);
  });
});
