import type { AgentId, RunView } from "@bizbot/shared";
import type { RunRow } from "./repository.ts";

export function runView(row: RunRow): RunView {
  return {
    id: row.id,
    agentId: row.agent_id as AgentId,
    status: row.status,
    output: row.output ?? null,
    creditsCharged: row.credits_charged,
    cached: row.cached,
    steps: row.steps,
    billing: row.billing,
    usage: {
      inputTokens: row.input_tokens,
      outputTokens: row.output_tokens,
      cacheWriteTokens: row.cache_write_tokens,
      cacheReadTokens: row.cache_read_tokens,
      modelCalls: row.model_calls,
      costUsd: Number(row.cost_usd),
      durationMs: row.duration_ms,
    },
    // A queued run may carry its last attempt's error while it waits to be tried again: that is not the run's.
    error: row.status === "failed" ? row.error : null,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

export const isFinished = (row: Pick<RunRow, "status">) => row.status === "succeeded" || row.status === "failed";
