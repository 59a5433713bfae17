import { agentIds, idempotencyKey, runId } from "@bizbot/shared";
import { z } from "zod";

export const agentIdField = z.enum(agentIds);

/** The agent's own input: checked against its schema by the service (field errors say `input.<field>`). */
export const runInput = z.strictObject({
  agentId: agentIdField,
  input: z.record(z.string(), z.unknown()).meta({ description: "The agent's input: see its schema under components.schemas" }),
});

/** Seconds a REST call waits for the run to finish before answering 202 with the run still queued or running. */
export const waitSeconds = z.coerce.number().int().min(0).max(120).default(30);

export const runIdInput = z.strictObject({ runId });

export const listRunsInput = z.strictObject({
  agentId: agentIdField.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const idempotencyHeader = idempotencyKey;

const usage = z.object({
  inputTokens: z.int(),
  outputTokens: z.int(),
  cacheWriteTokens: z.int(),
  cacheReadTokens: z.int(),
  modelCalls: z.int(),
  costUsd: z.number(),
  durationMs: z.int().nullable(),
});

export const runOutput = z.object({
  id: z.string(),
  agentId: agentIdField,
  status: z.enum(["queued", "running", "succeeded", "failed"]),
  output: z.unknown().meta({ description: "The agent's output once succeeded (its schema under components.schemas)" }),
  creditsCharged: z.int(),
  cached: z.boolean(),
  steps: z.array(z.string()),
  billing: z.enum(["credits", "trial"]),
  usage,
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
