import { z } from "zod";
import { level, sizedText, text } from "./fields.ts";

export const incidentSeverities = ["SEV1", "SEV2", "SEV3", "SEV4"] as const;

export const incidentResponderInput = z.strictObject({
  description: text("What is happening", 8000),
  logs: sizedText("Logs", 100 * 1024, "Log lines or an error trace, up to 100 KB").optional(),
  service: text("Service", 120).optional(),
  affectedUsers: z.int().min(0).max(1_000_000_000).meta({ title: "Users affected" }).optional(),
});

export const incidentResponderOutput = z.object({
  severity: z.enum(incidentSeverities),
  /** Why this severity: the rules that set it. */
  severityReasons: z.array(z.string()),
  /** What the logs say, counted without the model. */
  signals: z.object({
    errorLines: z.int(),
    firstSeen: z.string().nullable(),
    lastSeen: z.string().nullable(),
    topErrors: z.array(z.object({ signature: z.string(), count: z.int() })),
  }),
  /** Most likely first. */
  probableCauses: z.array(z.object({ cause: z.string(), likelihood: level, evidence: z.string() })),
  immediateActions: z.array(z.string()),
  plan: z.array(z.object({ phase: z.string(), actions: z.array(z.string()) })),
  statusPage: z.object({ title: z.string(), status: z.enum(["investigating", "identified", "monitoring", "resolved"]), message: z.string() }),
});
