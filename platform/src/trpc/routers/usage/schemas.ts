import { z } from "zod";
import { MAX_USAGE_DAYS } from "../../../usage/service.ts";

export const summaryInput = z.strictObject({
  /** Whole UTC days, ending today. */
  days: z.int().min(1).max(MAX_USAGE_DAYS).default(30),
});

const figures = {
  creditsSpent: z.number(),
  creditsAdded: z.number(),
  agentRuns: z.number(),
  trialRuns: z.number(),
  conversations: z.number(),
  modelCostUsd: z.number(),
};

export const summaryOutput = z.object({
  days: z.number(),
  from: z.string(),
  to: z.string(),
  balance: z.object({
    balance: z.number(),
    held: z.number(),
    available: z.number(),
    averageDailySpend: z.number(),
    daysLeft: z.number().nullable(),
    low: z.boolean(),
  }),
  daily: z.array(z.object({ date: z.string(), ...figures })),
  agents: z.array(
    z.object({
      agentId: z.string(),
      runs: z.number(),
      succeeded: z.number(),
      failed: z.number(),
      trialRuns: z.number(),
      creditsSpent: z.number(),
      modelCostUsd: z.number(),
    }),
  ),
  conversations: z.object({
    total: z.number(),
    resolved: z.number(),
    escalated: z.number(),
    open: z.number(),
    resolutionRate: z.number().nullable(),
    escalationRate: z.number().nullable(),
  }),
  trial: z.object({
    runs: z.number(),
    visitors: z.number(),
    exhaustedVisitors: z.number(),
    signupsAfterTrial: z.number().nullable(),
  }),
  totals: z.object(figures),
});
