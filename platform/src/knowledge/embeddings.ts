import { DomainError } from "../errors.ts";

export interface EmbeddingProvider {
  readonly name: string;
  readonly model: string;
  /** One vector per text, in the order given. */
  embed(texts: string[], kind: "document" | "query"): Promise<number[][]>;
}

export interface EmbeddingConfig {
  /** "openai" speaks OpenAI's /v1/embeddings, which Ollama, vLLM and TEI serve too; "voyage" adds `input_type`. */
  provider: "openai" | "voyage";
  /** Base URL, e.g. http://host:11434; `/v1/embeddings` is appended. */
  url: string;
  apiKey?: string | undefined;
  model: string;
  timeoutMs?: number;
}

/**
 * Inputs per request: what Text Embeddings Inference accepts by default (--max-client-batch-size 32), and well
 * inside OpenAI's (2,048) and Voyage's (1,000) limits.
 */
const BATCH = 32;

export function createEmbeddingProvider(config: EmbeddingConfig): EmbeddingProvider {
  // OpenAI's own base URLs end in /v1; accepting either form spares operators a confusing 404.
  const endpoint = `${config.url.replace(/\/+$/, "").replace(/\/v1$/, "")}/v1/embeddings`;
  const timeoutMs = config.timeoutMs ?? 30_000;
  const label = `${config.provider} embeddings at ${new URL(endpoint).origin} (${config.model})`;
  // "unavailable" whatever went wrong: to the caller it means semantic search cannot be served now, not a bad request.
  // Upstream text may echo the key; it is masked before it reaches a message.
  const fail = (why: string) => new DomainError("unavailable", `${label} failed: ${config.apiKey ? why.split(config.apiKey).join("***") : why}`);

  async function embedBatch(texts: string[], kind: "document" | "query"): Promise<number[][]> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) },
        body: JSON.stringify({ model: config.model, input: texts, ...(config.provider === "voyage" ? { input_type: kind } : {}) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const cause = error as Error & { cause?: { code?: string } };
      throw fail(cause.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : `cannot connect (${cause.cause?.code ?? cause.message})`);
    }
    if (response.status === 401 || response.status === 403) throw fail(`the API key was refused (${response.status})`);
    if (!response.ok) throw fail(`answered ${response.status}: ${upstreamMessage(text)}`);
    // Order comes from `index`, which the format defines, not from the array's order, which it does not promise.
    const data = parseData(text)?.sort((a, b) => a.index - b.index);
    if (!data || data.length !== texts.length || !data.every((d, i) => d.index === i)) {
      throw fail(`the answer does not hold one embedding for each of the ${texts.length} inputs`);
    }
    return data.map((d) => d.embedding);
  }

  return {
    name: config.provider,
    model: config.model,
    async embed(texts, kind) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += BATCH) vectors.push(...(await embedBatch(texts.slice(start, start + BATCH), kind)));
      return vectors;
    },
  };
}

function parseData(text: string): Array<{ index: number; embedding: number[] }> | null {
  try {
    const data = (JSON.parse(text) as { data?: unknown }).data;
    const valid = Array.isArray(data) && data.every((d) => Number.isInteger(d?.index) && Array.isArray(d?.embedding));
    return valid ? (data as Array<{ index: number; embedding: number[] }>) : null;
  } catch {
    return null;
  }
}

/** OpenAI-style `{error: {message}}`, Voyage's and TEI's `{detail}` / `{error}`, or the raw text, kept short. */
function upstreamMessage(text: string): string {
  let message = text;
  try {
    const body = JSON.parse(text) as { error?: string | { message?: string }; detail?: unknown };
    message = (typeof body.error === "object" ? body.error?.message : body.error) ?? (typeof body.detail === "string" ? body.detail : text);
  } catch {
    // Not JSON: the raw text is all there is.
  }
  return message.length > 200 ? `${message.slice(0, 200)}…` : message || "(no body)";
}
