import { auditAgentOutput } from "@bizbot/shared";
import { z } from "zod";
import { type AgentContext, defineAgent } from "../definition.ts";
import { byteLength, clip, fenced, fencedWithin } from "../prompt.ts";
import { checklists } from "./audit/checklists.ts";
import type { Checklist } from "./audit/control.ts";
import { type ControlResult, evaluate, score } from "./audit/evaluate.ts";
import { type ControlReview, controlRows, coverage } from "./audit/review.ts";
import { maskSecrets } from "../secrets/mask.ts";

// Worst case per call: 14,000 prompt bytes × $2.5e-6 + 2,400 output tokens × $1e-5 = $0.059; two calls stay under
// the $0.12 cap of a 6-credit run. The output budget is the larger share: up to twenty controls are reviewed at once.
const LIMITS = { calls: 2, maxPromptBytes: 14_000, maxOutputTokens: 2400 };

/**
 * What the model sees of each control's excerpt, longest first: the findings shrink their excerpts until they take at
 * most FINDINGS_SHARE of the room, so that every control's id reaches the model and the evidence keeps some room.
 */
const EXCERPT_CHARS = [160, 80, 40, 0];
const FINDINGS_SHARE = 0.7;
const SCOPE_BYTES = 1200;
/** Below this, the evidence is left out rather than shown as a stub. */
const MIN_MATERIAL_BYTES = 400;

const risk = auditAgentOutput.shape.controls.element.shape.risk;

const reviewRow = (ids: readonly string[]) =>
  z.object({
    id: z.enum(ids as [string, ...string[]]),
    risk,
    gap: z.string().nullable(),
    recommendation: z.string().nullable(),
  });

const reviewAnswer = (ids: readonly string[]) => z.object({ controls: z.array(reviewRow(ids)), summary: z.string() });
const retryAnswer = (ids: readonly string[]) => z.object({ controls: z.array(reviewRow(ids)) });

const job = (
  checklist: Checklist,
  ask: "all" | "retry",
) => `You review a compliance audit against ${checklist.name}. Rules have already read the evidence and set each control's status (met, partial, not_met, no_evidence); a status is final and you never change it.

For ${ask === "all" ? "every control in <findings>" : "each control in <findings> (your earlier answer left them out or named them twice)"}, exactly once and by its id, give:
- risk: low, medium, high or critical: how exposed the business is through this control, given its status, the excerpt and the evidence. A met control is usually low; a missing safeguard for sensitive data is high or critical.
- gap: one sentence on what the evidence lacks for this control, or null when nothing is missing.
- recommendation: one concrete next step, or null when none is needed.
${ask === "all" ? "Then summary: two to four sentences on the overall posture and the most urgent gaps.\n" : ""}
Ground every word in <findings> and the evidence in <material>; never invent systems, dates, documents or people. Keep each gap and recommendation under 25 words.`;

export const auditAgent = defineAgent({
  id: "audit-agent",
  limits: LIMITS,
  cache: "input",
  async run(input, ctx) {
    const checklist = checklists[input.framework];
    const evidence = await maskSecrets(input.evidence);
    ctx.step("Checking the evidence against the controls");
    const results = evaluate(checklist.controls, evidence);

    ctx.step("Rating the risk of each control");
    const ids = checklist.controls.map((c) => c.id);
    const first = await review(ctx, checklist, results, input, evidence, "all", reviewAnswer(ids));
    const { byId, retry } = coverage(ids, first.controls);
    if (retry.length > 0 && ctx.model.calls < LIMITS.calls) {
      const again = await review(
        ctx,
        checklist,
        results.filter((r) => retry.includes(r.id)),
        input,
        evidence,
        "retry",
        retryAnswer(retry),
      );
      const answered = coverage(retry, again.controls).byId;
      for (const [id, row] of answered) byId.set(id, row);
    }

    return {
      framework: input.framework,
      summary: first.summary,
      score: score(results),
      controls: controlRows(checklist, results, byId),
    };
  },
});

async function review<S extends z.ZodType<{ controls: ControlReview[] }>>(
  ctx: AgentContext,
  checklist: Checklist,
  results: readonly ControlResult[],
  input: { scope?: string | undefined },
  evidence: string,
  ask: "all" | "retry",
  schema: S,
): Promise<z.output<S>> {
  const instructions = job(checklist, ask);
  const header = fenced("input", `Framework: ${checklist.name}${input.scope ? `\nScope: ${clip(input.scope, SCOPE_BYTES)}` : ""}`);
  let room = ctx.model.room(instructions, schema) - byteLength(header) - 2;
  const findings = fencedWithin("findings", findingsText(results, room * FINDINGS_SHARE), room);
  room -= byteLength(findings) + 1;
  const material = room >= MIN_MATERIAL_BYTES ? `\n${fencedWithin("material", evidence, room)}` : "";
  return ctx.model.json({ job: instructions, prompt: `${header}\n${findings}${material}`, schema });
}

function findingsText(results: readonly ControlResult[], maxBytes: number): string {
  let text = "";
  for (const chars of EXCERPT_CHARS) {
    text = results.map((r) => finding(r, chars)).join("\n");
    if (byteLength(fenced("findings", text)) <= maxBytes) break;
  }
  return text;
}

function finding(result: ControlResult, excerptChars: number): string {
  const line = `${result.id} | ${result.status} | ${result.title}`;
  if (result.evidence === null) return `${line} | evidence: none`;
  if (excerptChars === 0) return line;
  const excerpt = result.evidence.length > excerptChars ? `${result.evidence.slice(0, excerptChars - 1)}…` : result.evidence;
  return `${line} | evidence: "${excerpt}"`;
}
