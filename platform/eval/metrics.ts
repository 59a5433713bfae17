/** Ranking metrics for one query with a set of relevant documents (here, one FAQ, rarely two with the same answer). */
export interface QueryOutcome {
  /** 1-based rank of the first relevant document, or null when it is not in the top 10. */
  rank: number | null;
}

export function summarizeRanks(outcomes: QueryOutcome[]) {
  const n = outcomes.length;
  const mean = (f: (rank: number | null) => number) => outcomes.reduce((sum, o) => sum + f(o.rank), 0) / n;
  return {
    "hit@1": mean((r) => (r !== null && r <= 1 ? 1 : 0)),
    "hit@3": mean((r) => (r !== null && r <= 3 ? 1 : 0)),
    "MRR@10": mean((r) => (r !== null && r <= 10 ? 1 / r : 0)),
    // One relevant document: the ideal DCG is 1, so NDCG@3 is the discounted gain of its rank.
    "NDCG@3": mean((r) => (r !== null && r <= 3 ? 1 / Math.log2(r + 1) : 0)),
  };
}

export function rankOf(ranked: string[], relevant: Set<string>): number | null {
  const index = ranked.slice(0, 10).findIndex((id) => relevant.has(id));
  return index === -1 ? null : index + 1;
}
