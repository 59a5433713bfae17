import { createHash } from "node:crypto";
import { HttpError, startStandIn, type RecordedRequest, type StandIn } from "./stand-in.ts";

export type EmbeddingsStandIn = StandIn;

/**
 * A deterministic embedding with just enough meaning for retrieval tests (no synonyms): lower-cased words minus a
 * few stop words, crudely stemmed, each hashed to one signed bucket, L2-normalised. Texts sharing words score a high
 * cosine. One bucket a word and 256 dimensions by default: with several buckets, or at 64 dimensions, collisions
 * made unrelated texts outscore related ones, and could cancel a short query to a zero vector.
 */
export function hashEmbedding(text: string, dimensions = 256): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (stopWords.has(word)) continue;
    const hash = createHash("sha256").update(stem(word)).digest();
    vector[hash.readUInt32BE(0) % dimensions]! += hash[4]! & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((x) => x / norm);
}

const stopWords = new Set(
  "a an the is are was be to of in on for and or i my you your our we it do does how what when where can from by with at this that".split(" "),
);

/** "shipping" → "ship", "returns" → "return", "orders" → "order"; short words are left alone. */
const stem = (word: string) =>
  word.replace(/(ing|ed|es|s|ly)$/, (suffix) => (word.length - suffix.length >= 3 ? "" : suffix)).replace(/([b-df-hj-np-tv-z])\1$/, "$1");

/**
 * Serves `POST /v1/embeddings` as OpenAI (and Ollama, vLLM, TEI) do, or as Voyage AI does when the request carries
 * `input_type`. With `apiKey`, requests without `Authorization: Bearer <apiKey>` get a 401.
 */
export async function startEmbeddingsStandIn(options: { dimensions?: number; apiKey?: string } = {}): Promise<EmbeddingsStandIn> {
  const dimensions = options.dimensions ?? 256;
  const isVoyage = (request: RecordedRequest) => typeof request.body === "object" && request.body !== null && "input_type" in request.body;

  return startStandIn(
    (request) => {
      if (request.method !== "POST" || request.path !== "/v1/embeddings") throw new HttpError(404, `No route for ${request.method} ${request.path}`);
      const given = request.headers.authorization;
      // Some servers echo the key they were given; echoing it whole proves a client never passes it on.
      if (options.apiKey && given !== `Bearer ${options.apiKey}`)
        throw new HttpError(401, `Incorrect API key provided: ${given?.replace(/^Bearer /, "") ?? "(none)"}`);
      const body = (request.body ?? {}) as { input?: unknown; model?: unknown; input_type?: unknown; encoding_format?: unknown };
      const input = typeof body.input === "string" ? [body.input] : body.input;
      if (!Array.isArray(input) || input.length === 0 || !input.every((text) => typeof text === "string"))
        throw new HttpError(400, "input must be a string or a non-empty array of strings");
      if (typeof body.model !== "string") throw new HttpError(400, "model is required");
      if (body.input_type !== undefined && body.input_type !== null && body.input_type !== "query" && body.input_type !== "document") {
        throw new HttpError(400, "input_type must be query, document or null");
      }
      if (body.encoding_format !== undefined && body.encoding_format !== "float") throw new HttpError(400, "the stand-in answers encoding_format float only");
      const tokens = input.reduce((sum: number, text: string) => sum + (text.match(/\S+/g)?.length ?? 0), 0);
      // Reversed on purpose: `index` is the contract, not array order, and a client that trusts order is caught.
      const data = input.map((text: string, index) => ({ object: "embedding", index, embedding: hashEmbedding(text, dimensions) })).reverse();
      const usage = isVoyage(request) ? { total_tokens: tokens } : { prompt_tokens: tokens, total_tokens: tokens };
      return { status: 200, body: { object: "list", data, model: body.model, usage } };
    },
    (status, message, request) =>
      isVoyage(request)
        ? { detail: message }
        : { error: { message, type: status === 401 ? "invalid_request_error" : "server_error", param: null, code: status === 401 ? "invalid_api_key" : null } },
  );
}
