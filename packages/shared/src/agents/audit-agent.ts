import { z } from "zod";
import { level, sizedText, text } from "./fields.ts";

export const auditFrameworks = ["soc2", "gdpr", "hipaa"] as const;
export const controlStatuses = ["met", "partial", "not_met", "no_evidence"] as const;

export const auditAgentInput = z.strictObject({
  framework: z.enum(auditFrameworks).meta({ title: "Framework" }),
  evidence: sizedText("Evidence", 100 * 1024, "Policies, answers and configuration notes, one statement a line works best"),
  scope: text("Scope", 1000, "The systems and teams the audit covers").optional(),
});

export const auditAgentOutput = z.object({
  framework: z.enum(auditFrameworks),
  summary: z.string(),
  score: z.object({ met: z.int(), partial: z.int(), notMet: z.int(), noEvidence: z.int() }),
  /** One row per control of the framework's checklist, in its order. */
  controls: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      /** Set by the rules, from the evidence; never by the model. */
      status: z.enum(controlStatuses),
      evidence: z.string().nullable(),
      risk: z.enum([...level.options, "critical"]),
      gap: z.string().nullable(),
      recommendation: z.string().nullable(),
    }),
  ),
});
