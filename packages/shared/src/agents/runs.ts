// The agent runs' wire shapes: what the platform sends (platform/src/agents/) and the widget and portal read.
import type { ErrorReason } from "../errors.ts";
import type { AgentId } from "./catalogue.ts";

export type RunStatus = "queued" | "running" | "succeeded" | "failed";

export interface RunUsage {
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  modelCalls: number;
  /** What the model calls cost the platform, in dollars. */
  costUsd: number;
  durationMs: number | null;
}

export interface RunView {
  id: string;
  agentId: AgentId;
  status: RunStatus;
  /** The agent's output once succeeded; a workflow that stopped at a failed step keeps its partial results here. */
  output: unknown;
  creditsCharged: number;
  /** A stored answer to the same input, returned at once (and charged at the tenant's cached-run price). */
  cached: boolean;
  /** The steps the run's current (or last) attempt named, in order. */
  steps: string[];
  /** How the run is paid: from the tenant's credits, or a visitor's free trial run. */
  billing: "credits" | "trial";
  usage: RunUsage;
  error: { code: ErrorReason; message: string } | null;
  createdAt: string;
  finishedAt: string | null;
}

/** What a run streams, in order: queued, started, any steps and output deltas, then succeeded or failed. */
export type RunEvent =
  | { type: "queued"; run: RunView }
  | { type: "started"; runId: string; attempt: number }
  | { type: "step"; runId: string; name: string }
  /** Long text as the model writes it (a report's markdown, say). */
  | { type: "output"; runId: string; delta: string }
  | { type: "succeeded"; run: RunView }
  | { type: "failed"; run: RunView };
