import { severity } from "@bizbot/shared";
import { z } from "zod";
import { defineAgent } from "../definition.ts";
import { byteLength, fenced } from "../prompt.ts";
import { applyReview, buildMaterial, MAX_REVIEWED, nothingFound, reviewIds } from "./security/review.ts";
import { scan } from "./security/scan.ts";

const JOB = `You review the results of a deterministic security scan of one file: code, configuration, a dependency manifest or an HTTP response. Inside <findings> are the problems its detectors found; you rank and explain them. You cannot add or remove findings.

Each finding has an id (f1, f2…), a severity, a category, the detector's rule, its place, and its line of context. Secrets are masked to their first characters followed by "…"; never guess or complete them.

Answer with:
- summary: two to four sentences for the business: what matters most, and what to do first.
- ranking: the ids, most urgent first, weighing severity, how easily it is exploited, and whether it looks real.
- notes: for at most 10 of the most important findings: its id; explanation (why it matters in this file, at most 30 words); fix (the concrete change, at most 30 words); likelyFalsePositive (true only on a clear sign: a test fixture or example file, an obvious placeholder such as EXAMPLE, dummy or xxx, a value plainly not real); falsePositiveReason (why, or null); severity (only to raise it when the context makes it worse, else null).
Use only the ids given.`;

const reviewSchema = (ids: string[]) => {
  const id = z.enum(ids as [string, ...string[]]);
  return z.object({
    summary: z.string(),
    ranking: z.array(id),
    notes: z.array(
      z.object({
        id,
        explanation: z.string(),
        fix: z.string(),
        likelyFalsePositive: z.boolean(),
        falsePositiveReason: z.string().nullable(),
        severity: severity.nullable(),
      }),
    ),
  });
};

const LIMITS = { calls: 2, maxPromptBytes: 12000, maxOutputTokens: 1800 };

export const securityScanner = defineAgent({
  id: "security-scanner",
  limits: LIMITS,
  cache: "input",
  async run(input, ctx) {
    ctx.step("Scanning for secrets, headers, dependencies and code patterns");
    const result = await scan(input.content, input.filename);
    // Counts only: a finding's text is never logged.
    ctx.log.info({ findings: result.findings.length, checked: result.checked }, "security scan finished");
    if (result.findings.length === 0) return nothingFound(result, input.filename);

    ctx.step("Ranking and explaining the findings");
    // The room left once the answer's schema is counted at its largest (every id shown), less the fence.
    const room = ctx.model.room(JOB, reviewSchema(reviewIds(MAX_REVIEWED))) - byteLength(fenced("findings", ""));
    const material = buildMaterial(result, input.filename, room);
    const review = await ctx.model.json({
      job: JOB,
      prompt: fenced("findings", material.text),
      schema: reviewSchema(reviewIds(material.reviewed.length)),
    });
    return applyReview(result, material.reviewed, review);
  },
});
