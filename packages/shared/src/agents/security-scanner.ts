import { z } from "zod";
import { severity, sizedText, text } from "./fields.ts";

export const SECURITY_SCAN_MAX_BYTES = 200 * 1024;

export const securityScannerInput = z.strictObject({
  content: sizedText("Content", SECURITY_SCAN_MAX_BYTES, "Code, configuration, a dependency manifest or an HTTP response, up to 200 KB"),
  filename: text("File name", 255, "Helps tell a package.json from a Dockerfile").optional(),
});

export const findingCategories = ["secret", "header", "dependency", "code"] as const;

export const securityFinding = z.object({
  /** The detector that found it, e.g. `aws-access-key-id`, `missing-hsts`, `sql-injection`. */
  rule: z.string(),
  category: z.enum(findingCategories),
  severity,
  /** 1-based. */
  line: z.int().min(1),
  column: z.int().min(1).optional(),
  /** What was found; a secret shows its first four characters only. */
  evidence: z.string(),
  explanation: z.string(),
  fix: z.string(),
  /** The model's view that this is probably not a real problem, with why. The finding stays listed. */
  likelyFalsePositive: z.boolean(),
  falsePositiveReason: z.string().optional(),
});

export const securityScannerOutput = z.object({
  findings: z.array(securityFinding),
  summary: z.string(),
  counts: z.object({ critical: z.int(), high: z.int(), medium: z.int(), low: z.int(), info: z.int() }),
});
