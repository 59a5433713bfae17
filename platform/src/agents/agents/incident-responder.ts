import { type incidentResponderInput, type incidentResponderOutput, level } from "@bizbot/shared";
import { z } from "zod";
import { DomainError } from "../../errors.ts";
import { type AgentContext, defineAgent } from "../definition.ts";
import type { ModelLimits } from "../model.ts";
import { byteLength, fencedWithin } from "../prompt.ts";
import { type LogSignals, readLogs } from "./incident/logs.ts";
import { REDACTED } from "./incident/signature.ts";
import { type Assessment, assessSeverity } from "./incident/severity.ts";
import { maskSecrets } from "../secrets/mask.ts";
import { internalNames, leaksIn, type StatusDraft, signatureTerms, stripLeaks } from "./incident/status-page.ts";

type Input = z.output<typeof incidentResponderInput>;
type Output = z.input<typeof incidentResponderOutput>;

// Two calls: the triage, and one repair (of an unfit answer, or else of a status page that leaks internal details).
const LIMITS: ModelLimits = { calls: 2, maxPromptBytes: 16000, maxOutputTokens: 1800 };
/** The most of the prompt the log findings take; the description gets the rest. */
const FINDINGS_BYTES = 4000;
/** Bytes kept free of the budget: the newline between the fences, and rounding. */
const PROMPT_MARGIN = 64;

const TRIAGE_JOB = `You triage an IT incident for the business's on-call engineers. <input> holds the incident as reported. <findings> holds what the platform worked out without you: the severity its rules set, with their reasons, and what the logs show: error lines, when they started and stopped, and numbered log signatures (one error with its variable parts replaced by <n>, <id>, <ip>, <str>…, and how often it occurred).

Answer with:
- probableCauses: at most 5, most likely first. basis "logs" with signature set to the number of the signature that supports the cause, or basis "description" with signature null when only the description does. evidence says what in that signature or in the description points to the cause. A cause the data barely supports is "low"; never claim what the data does not show.
- immediateActions: up to 8 concrete actions for the first 30 minutes, mitigation before investigation.
- plan: 2 to 5 phases in order (e.g. Stabilise, Diagnose, Fix, Follow up), each with up to 6 actions.
- statusPage: a draft for the public status page: a short title, a status, and a message of two to four sentences in plain customer language: what customers notice, that the team is on it, that an update will follow. No internal details: no host names, IP addresses, error messages, exception or code names, log text, file paths or internal service names.
The severity is decided: do not restate or change it.`;

const STATUS_REPAIR_JOB = `Inside <answer> is a draft for a public status page about an incident, and inside <problems> the internal details it gives away. Write the draft again in plain customer language, with the same status and meaning, without any of those details (no host names, IP addresses, error messages, code names or log text).`;

const statusPage = z.object({
  title: z.string().trim().min(1).max(120),
  status: z.enum(["investigating", "identified", "monitoring", "resolved"]),
  message: z.string().trim().min(1).max(1200),
});

const action = z.string().trim().min(1).max(300);

/** The model's part of the result; `signatures` is how many numbered signatures the prompt listed. */
const triageAnswer = (signatures: number) =>
  z.object({
    probableCauses: z
      .array(
        z
          .object({
            cause: z.string().trim().min(1).max(300),
            likelihood: level,
            basis: z.enum(["description", "logs"]),
            signature: z.int().nullable(),
            evidence: z.string().trim().min(1).max(400),
          })
          .superRefine((c, ctx) => {
            if (c.basis === "logs" && (c.signature === null || c.signature < 1 || c.signature > signatures)) {
              ctx.addIssue({
                code: "custom",
                path: ["signature"],
                message: signatures
                  ? `must be the number (1 to ${signatures}) of one of the log signatures listed`
                  : "there are no log signatures: use basis description",
              });
            }
          }),
      )
      .min(1)
      .max(5),
    immediateActions: z.array(action).min(1).max(8),
    plan: z
      .array(z.object({ phase: z.string().trim().min(1).max(60), actions: z.array(action).min(1).max(6) }))
      .min(2)
      .max(5),
    statusPage,
  });
type TriageAnswer = z.output<ReturnType<typeof triageAnswer>>;

export const incidentResponder = defineAgent({
  id: "incident-responder",
  limits: LIMITS,
  cache: "input",
  async run(input, ctx) {
    if (input.logs) ctx.step("Reading the logs");
    const signals = readLogs(input.logs);
    // The reasons quote the description, and go to the model and into the result: without its credentials.
    const description = await maskSecrets(input.description, REDACTED);
    const assessment = assessSeverity({ description, affectedUsers: input.affectedUsers, signals });

    ctx.step("Triaging");
    const schema = triageAnswer(signals.topErrors.length);
    const prompt = triagePrompt({ ...input, description }, assessment, signals, ctx.model.room(TRIAGE_JOB, schema) - PROMPT_MARGIN);
    const answer = await ctx.model.json({ job: TRIAGE_JOB, prompt, schema });

    const terms = [...internalNames(input.description), ...internalNames(input.logs ?? ""), ...signatureTerms(signals.topErrors)];
    return {
      severity: assessment.severity,
      severityReasons: assessment.reasons,
      signals: { errorLines: signals.errorLines, firstSeen: signals.firstSeen, lastSeen: signals.lastSeen, topErrors: signals.topErrors },
      probableCauses: rankCauses(answer.probableCauses, signals),
      immediateActions: answer.immediateActions,
      plan: answer.plan,
      statusPage: await cleanStatusPage(answer.statusPage, terms, ctx),
    } satisfies Output;
  },
});

function triagePrompt(input: Input, assessment: Assessment, signals: LogSignals, room: number): string {
  const findings = fencedWithin("findings", findingsText(assessment, signals), Math.min(FINDINGS_BYTES, Math.floor(room / 3)));
  const head = [
    input.service ? `Service: ${input.service}` : "Service: not given",
    `Users affected: ${input.affectedUsers ?? "not given"}`,
    "",
    "Description:",
  ];
  return `${fencedWithin("input", [...head, input.description].join("\n"), room - byteLength(findings))}\n${findings}`;
}

function findingsText(assessment: Assessment, signals: LogSignals): string {
  const lines = [`Severity: ${assessment.severity} (set by the platform's rules)`, ...assessment.reasons.map((r) => `- ${r}`), ""];
  if (!signals.errorLines) {
    lines.push("Logs: no error lines (or no logs given).");
    return lines.join("\n");
  }
  lines.push(`Error lines: ${signals.errorLines}; first seen ${signals.firstSeen ?? "unknown"}, last seen ${signals.lastSeen ?? "unknown"}.`);
  if (signals.responses) lines.push(`HTTP responses in the logs: ${signals.responses}, of which 5xx: ${signals.serverErrors}.`);
  if (signals.timeouts) lines.push(`Lines mentioning a timeout: ${signals.timeouts}.`);
  lines.push("Log signatures, most frequent first:");
  for (const [i, e] of signals.topErrors.entries()) lines.push(`${i + 1}. (${e.count}×) ${e.signature}`);
  return lines.join("\n");
}

const LIKELIHOOD_RANK = { high: 0, medium: 1, low: 2 } as const;

/** The causes, most likely first (the model's order among equals), each with its evidence saying where it comes from. */
function rankCauses(causes: TriageAnswer["probableCauses"], signals: LogSignals): Output["probableCauses"] {
  return [...causes]
    .sort((a, b) => LIKELIHOOD_RANK[a.likelihood] - LIKELIHOOD_RANK[b.likelihood])
    .map((c) => {
      const error = c.basis === "logs" && c.signature !== null ? signals.topErrors[c.signature - 1] : undefined;
      const source = error ? `Log signature "${error.signature}" (${error.count}×)` : "Description";
      return { cause: c.cause, likelihood: c.likelihood, evidence: `${source}: ${c.evidence}` };
    });
}

/**
 * The status page without internal details: a draft that names a host, an IP or a log signature's text is written
 * again once when the run's calls allow, and what still leaks is cut out.
 */
async function cleanStatusPage(draft: StatusDraft, terms: string[], ctx: AgentContext): Promise<StatusDraft> {
  let leaks = leaksIn(draft, terms);
  if (!leaks.length) return draft;
  if (ctx.model.calls < LIMITS.calls) {
    ctx.step("Rewriting the status page");
    const room = ctx.model.room(STATUS_REPAIR_JOB, statusPage) - PROMPT_MARGIN;
    const answer = fencedWithin("answer", JSON.stringify(draft, null, 2), Math.floor((room * 2) / 3));
    const problems = fencedWithin("problems", leaks.map((term) => `It shows the internal detail "${term}".`).join("\n"), room - byteLength(answer));
    const prompt = `${answer}\n${problems}`;
    try {
      draft = await ctx.model.json({ job: STATUS_REPAIR_JOB, prompt, schema: statusPage });
      leaks = leaksIn(draft, terms);
    } catch (error) {
      // An unfit rewrite (or no budget left for one) leaves the first draft to be cut; the model failing is the run's failure.
      if (!(error instanceof DomainError)) throw error;
      ctx.log.warn({ err: error }, "the status page could not be rewritten; its leaking sentences are cut");
    }
  }
  return leaks.length ? stripLeaks(draft, terms) : draft;
}
