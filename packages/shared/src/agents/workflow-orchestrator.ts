import { z } from "zod";
import { sizedText, text } from "./fields.ts";

export const WORKFLOW_MAX_STEPS = 5;

export const workflowOrchestratorInput = z.strictObject({
  goal: text("Goal", 4000, "What the workflow should achieve"),
  material: sizedText("Material", 50 * 1024, "The text, data or ticket the steps work on").optional(),
  maxSteps: z.int().min(1).max(WORKFLOW_MAX_STEPS).default(3).meta({ title: "Most steps" }),
});

export const workflowOrchestratorOutput = z.object({
  goal: z.string(),
  plan: z.array(z.object({ agentId: z.string(), purpose: z.string() })),
  steps: z.array(
    z.object({
      agentId: z.string(),
      runId: z.string().nullable(),
      status: z.enum(["succeeded", "failed", "skipped"]),
      creditsCharged: z.int(),
      output: z.unknown(),
      error: z.string().nullable(),
    }),
  ),
  summary: z.string(),
  /** False when a step failed: the steps before it kept their results (and their charges). */
  completed: z.boolean(),
});
