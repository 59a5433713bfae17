import { sha256Hex } from "../lib/crypto.ts";

/** How long a run's output answers the same request again. */
export const CACHE_TTL_MS = 24 * 60 * 60 * 1000;

/** Raise when an agent's work changes, so that answers made by the old code are no longer served. */
const CACHE_VERSION = 1;

/**
 * The JSON of a value with object keys sorted and text normalised (Unicode NFC, CRLF as LF, trailing spaces and
 * surrounding blank lines dropped): two requests that differ only in such ways are the same request.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (typeof value === "string")
    return value
      .normalize("NFC")
      .replace(/\r\n?/g, "\n")
      .replace(/[ \t]+$/gm, "")
      .trim();
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, normalise((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * What makes two runs the same request: the agent, its normalised input, the tenant's instructions to it, the
 * model, and (for agents that read it) the state of the knowledge base. The tenant is a column of its own.
 */
export function cacheKey(parts: { agentId: string; input: unknown; instructions: string; model: string; knowledge: string | null }): string {
  return sha256Hex(canonicalJson([CACHE_VERSION, parts.agentId, parts.input, parts.instructions, parts.model, parts.knowledge]));
}
