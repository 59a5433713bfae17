import { type AgentId, agents, findAgent, WORKFLOW_MAX_STEPS } from "@bizbot/shared";
import { z } from "zod";
import { DomainError } from "../../errors.ts";
import { defineAgent, PartialResult, type StepOutcome } from "../definition.ts";
import { byteLength, clip, fenced, fencedWithin } from "../prompt.ts";

/** What a step's output passes on to a later step: its text, at most this much. */
const PASSED_ON_BYTES = 50 * 1024;

const PLAN_JOB = `Job: plan a workflow of the business's agents that achieves the goal inside <input>, using the material inside <material>. The agents you may use, and the JSON input each takes, are listed inside <results>.
- steps: at most the number of steps allowed, in order; fewer is better. For each, the agent's id, its purpose in a sentence, and its input as a JSON object (as text) that fits that agent's input.
- In an input's string values, write {{material}} to pass on the material, and {{step N}} to pass on the result of step N (1-based, an earlier step). Never copy the material itself into an input.`;

const SUMMARY_JOB = `Job: sum up, in a few sentences for the business, what the workflow inside <results> achieved for the goal inside <input>. Mention each step's main result. No preamble.`;

/** Placeholder of the material or of an earlier step's result, inside a step's input. */
const PLACEHOLDER = /\{\{\s*(material|step\s+(\d+))\s*\}\}/g;

/** The agents a workflow may use: those the tenant enabled, not itself. */
const usable = (enabled: AgentId[]) => agents.filter((a) => a.id !== "workflow-orchestrator" && enabled.includes(a.id));

function planSchema(allowed: AgentId[], maxSteps: number) {
  return z
    .object({
      steps: z
        .array(z.object({ agentId: z.enum(allowed as [AgentId, ...AgentId[]]), purpose: z.string().min(1), input: z.string().min(2) }))
        .min(1)
        .max(maxSteps),
    })
    .superRefine((plan, ctx) => {
      plan.steps.forEach((step, i) => {
        const problem = inputProblem(step.agentId, step.input, i + 1);
        if (problem) ctx.addIssue({ code: "custom", path: ["steps", i, "input"], message: problem });
      });
    });
}

/** Why a planned input would be refused: not a JSON object, a step placeholder that is not earlier, or unfit for the agent. */
function inputProblem(agentId: AgentId, text: string, stepNumber: number): string | null {
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match[2] && (Number(match[2]) < 1 || Number(match[2]) >= stepNumber)) return `{{step ${match[2]}}} is not an earlier step`;
  }
  let input: unknown;
  try {
    input = JSON.parse(fill(text, () => "sample text"));
  } catch {
    return "is not a JSON object";
  }
  if (!input || typeof input !== "object" || Array.isArray(input)) return "is not a JSON object";
  const parsed = findAgent(agentId)!.input.safeParse(input);
  return parsed.success ? null : `does not fit ${agentId}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`;
}

/** The input with each placeholder replaced by its text, escaped for where it sits: inside a JSON string. */
function fill(text: string, value: (name: string, step: number | null) => string): string {
  return text.replace(PLACEHOLDER, (_, name: string, step?: string) => JSON.stringify(value(name, step ? Number(step) : null)).slice(1, -1));
}

/** A step's result as text for the next step: its main text field when it has one, its JSON otherwise. */
function passedOn(output: unknown): string {
  const record = (output ?? {}) as Record<string, unknown>;
  const main = ["reply", "answer", "markdown", "output", "summary"].map((k) => record[k]).find((v) => typeof v === "string" && v.length > 0);
  return clip(typeof main === "string" ? main : JSON.stringify(output, null, 1), PASSED_ON_BYTES);
}

/** The agents' inputs, as the plan's prompt lists them: id, what it does, the fields it takes. */
function catalogue(allowed: AgentId[]): string {
  const lines = allowed.map((id) => {
    const agent = findAgent(id)!;
    const schema = z.toJSONSchema(agent.input, { io: "input" }) as { properties?: Record<string, { type?: string; enum?: unknown[] }>; required?: string[] };
    const fields = Object.entries(schema.properties ?? {}).map(
      ([name, field]) => `${name}${schema.required?.includes(name) ? "" : "?"}: ${field.enum ? field.enum.join("|") : (field.type ?? "object")}`,
    );
    return `- ${id}: ${agent.description} Input: {${fields.join(", ")}}`;
  });
  return lines.join("\n");
}

export const workflowOrchestrator = defineAgent({
  id: "workflow-orchestrator",
  limits: { calls: 3, maxPromptBytes: 12_000, maxOutputTokens: 1500 },
  // Its steps' results depend on the knowledge base, the agents enabled and their settings: never served from the cache.
  cache: false,
  // Its steps run inside its own time: a planning call, each step's run, the summary.
  timeoutUnits: WORKFLOW_MAX_STEPS + 2,
  async run(input, ctx) {
    const allowed = usable(ctx.enabledAgents).map((a) => a.id);
    if (allowed.length === 0) throw new DomainError("invalid_input", "No agent is enabled for a workflow to use; enable some in the portal");
    const schema = planSchema(allowed, input.maxSteps);

    ctx.step("Planning");
    const room = ctx.model.room(PLAN_JOB, schema);
    const goal = fenced("input", `${clip(input.goal, Math.floor(room * 0.25))}\nSteps allowed: at most ${input.maxSteps}`);
    const material = fencedWithin("material", input.material || "(none)", Math.floor(room * 0.25));
    const listed = fencedWithin("results", catalogue(allowed), room - byteLength(goal) - byteLength(material) - 2);
    // Saved with the run: a retried attempt follows the same plan, whose first steps may have run (and been charged).
    const plan = await ctx.checkpoint("plan", () => ctx.model.json({ job: PLAN_JOB, prompt: `${goal}\n${material}\n${listed}`, schema }));

    const outcomes: StepOutcome[] = [];
    const steps = () =>
      plan.steps.map((step, i) => {
        const outcome = outcomes[i];
        return outcome
          ? {
              agentId: step.agentId,
              runId: outcome.runId,
              status: outcome.status,
              creditsCharged: outcome.creditsCharged,
              output: outcome.output,
              error: outcome.error,
            }
          : { agentId: step.agentId, runId: null, status: "skipped" as const, creditsCharged: 0, output: null, error: null };
      });
    const result = (summary: string, completed: boolean) => ({
      goal: input.goal,
      plan: plan.steps.map((s) => ({ agentId: s.agentId, purpose: s.purpose })),
      steps: steps(),
      summary,
      completed,
    });

    for (const [i, step] of plan.steps.entries()) {
      ctx.step(`Step ${i + 1} of ${plan.steps.length}: ${findAgent(step.agentId)!.name}`);
      const stepInput = JSON.parse(fill(step.input, (name, n) => (name === "material" ? (input.material ?? "") : passedOn(outcomes[n! - 1]!.output))));
      const outcome = await ctx.runStep(i, step.agentId, stepInput);
      outcomes.push(outcome);
      if (outcome.status === "failed") {
        // The steps before keep their results, and their charges; the workflow's own fee is released.
        const summary = `Stopped at step ${i + 1} (${findAgent(step.agentId)!.name}): ${outcome.error ?? "it failed"}`;
        throw new PartialResult(summary, result(summary, false));
      }
    }

    ctx.step("Summing up");
    const summaryRoom = ctx.model.room(SUMMARY_JOB);
    const goalText = fencedWithin("input", input.goal, Math.floor(summaryRoom * 0.2));
    const results = outcomes.map((o, i) => `Step ${i + 1} (${plan.steps[i]!.agentId}): ${passedOn(o.output)}`);
    const share = Math.floor((summaryRoom - byteLength(goalText) - 40) / results.length);
    const summary = await ctx.model.text({
      job: SUMMARY_JOB,
      prompt: `${goalText}\n${fenced("results", results.map((r) => clip(r, share - 2)).join("\n\n"))}`,
      maxTokens: 400,
    });
    return result(summary.trim(), true);
  },
});
