import type { Kysely } from "kysely";
import type { DB } from "../db/schema.ts";
import { bm25Search, chunksByIds, type SearchHit } from "./repository.ts";
import type { SemanticIndex } from "./semantic.ts";

/** How many of each list's best go into the fusion: enough for a chunk ranked well by one side only to come through. */
const FUSION_DEPTH = 30;
/** Reciprocal rank fusion's constant (Cormack et al. 2009): damps the weight of the very first ranks. */
const RRF_K = 60;

export interface SearchResult {
  results: SearchHit[];
  /** `hybrid`: BM25 and semantic search fused; `lexical`: BM25 alone, because semantic search is off or failing. */
  mode: "lexical" | "hybrid";
  /** Why a configured semantic search did not take part, when it did not. */
  notice?: string;
}

/**
 * The tenant's best passages for a question. BM25 always answers; when semantic search is on, its nearest chunks
 * are fused with BM25's by reciprocal rank, and the score is the fused one.
 */
export async function search(deps: { db: Kysely<DB>; semantic: SemanticIndex | null }, tenantId: string, query: string, limit: number): Promise<SearchResult> {
  if (!deps.semantic) return { results: await bm25Search(deps.db, tenantId, query, limit), mode: "lexical" };
  const depth = Math.max(limit, FUSION_DEPTH);
  const [lexical, semantic] = await Promise.all([bm25Search(deps.db, tenantId, query, depth), deps.semantic.search(tenantId, query, depth)]);
  if ("unavailable" in semantic) return { results: lexical.slice(0, limit), mode: "lexical", notice: semantic.unavailable };
  // Cut to `limit` only after stray vectors are dropped, so that they never shorten the answer.
  const fused = reciprocalRankFusion([lexical.map((h) => h.chunkId), semantic.hits.map((h) => h.chunkId)]);
  const known = new Map(lexical.map((h) => [h.chunkId, h]));
  // Chunks only the vector index found are read from Postgres, within the tenant: a vector whose chunk is gone, or
  // that is not this tenant's, is dropped here whatever the vector index returned.
  for (const hit of await chunksByIds(
    deps.db,
    tenantId,
    fused.map((f) => f.id).filter((id) => !known.has(id)),
  ))
    known.set(hit.chunkId, hit);
  return {
    results: fused
      .flatMap((f) => {
        const hit = known.get(f.id);
        return hit ? [{ ...hit, score: f.score }] : [];
      })
      .slice(0, limit),
    mode: "hybrid",
  };
}

/** Sum over lists of 1 / (k + rank), best first; ties keep a stable order by id. */
export function reciprocalRankFusion(lists: string[][], k = RRF_K): Array<{ id: string; score: number }> {
  const scores = new Map<string, number>();
  for (const list of lists) {
    list.forEach((id, rank) => {
      scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank + 1));
    });
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}
