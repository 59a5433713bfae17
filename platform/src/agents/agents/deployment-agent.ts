import type { deploymentAgentOutput } from "@bizbot/shared";
import { z } from "zod";
import { DomainError } from "../../errors.ts";
import { defineAgent } from "../definition.ts";
import type { ModelLimits } from "../model.ts";
import { byteLength, fencedWithin } from "../prompt.ts";
import { pipelineSkeleton, type Rollback, rollbackSkeleton, type Stage } from "./deployment/pipeline.ts";
import { chooseStrategy, type DeploymentInput, type StrategyChoice } from "./deployment/strategy.ts";

type Output = z.input<typeof deploymentAgentOutput>;

// Three steps (plan, critique, final) and one repair for whichever step's answer does not fit.
const LIMITS: ModelLimits = { calls: 4, maxPromptBytes: 9000, maxOutputTokens: 1200 };
/** Bytes kept free of the budget: the newlines between fences, and rounding. */
const PROMPT_MARGIN = 64;
/** What the critique and the final step show of the application: the plan under review needs the room more. */
const REVIEW_INPUT_BYTES = 1500;
/** What they show of the strategy (and, in the final step, of the critique's points). */
const REVIEW_FINDINGS_BYTES = 2000;

const PLAN_JOB = `You plan how a team ships an application: its CI/CD pipeline, its production rollout and its rollback. <input> describes the application. <findings> holds the rollout strategy the platform's rules chose, with their reasons, and a skeleton pipeline and rollback procedure for that strategy and target.

Make the skeleton specific to this application: name the CI system and tools its stack implies, the checks its dependencies need, and respect every constraint. Keep the stages in order; merge, split or add stages where the application calls for it. The production rollout follows the given strategy: do not change it. rollback.triggers are measurable (a metric, a threshold, a duration); rollback.steps are in order. reasons: up to 3 reasons for the given strategy that are specific to this application and not already in <findings>. risks: what could still go wrong. Keep each step to one short sentence.`;

const CRITIQUE_JOB = `You review a deployment plan before it is used. <input> describes the application; <findings> holds the rollout strategy the platform's rules chose; <answer> is the plan under review.

List the plan's concrete problems, most serious first: a missing or weak gate, steps in the wrong order (e.g. a migration the running version cannot work with), a rollout that does not follow the strategy, a rollback trigger without a threshold, a rollback that cannot undo a step, an ignored constraint, a step that does not fit the stack. Each point names the stage or step and what goes wrong. Do not rewrite the plan and do not list strengths.`;

const FINAL_JOB = `You finalise a deployment plan. <input> describes the application; <findings> holds the rollout strategy the platform's rules chose and the numbered problems a review found in the draft plan; <answer> is that draft.

Answer with the whole final plan: the draft with every problem in <findings> fixed, and nothing that was right lost. The production rollout follows the given strategy: do not change it. rollback.triggers are measurable (a metric, a threshold, a duration); rollback.steps are in order. reasons: up to 3 reasons for the strategy specific to this application. Keep each step to one short sentence.`;

const line = (max: number) => z.string().trim().min(1).max(max);

/** The plan as the model writes it, in the planning and the final step alike. The strategy's type is not its to set. */
const planAnswer = z.object({
  reasons: z.array(line(300)).max(3),
  pipeline: z
    .array(z.object({ stage: line(80), steps: z.array(line(200)).min(1).max(6), gate: line(200).nullable() }))
    .min(4)
    .max(10),
  rollback: z.object({ triggers: z.array(line(200)).min(1).max(8), steps: z.array(line(200)).min(1).max(8) }),
  risks: z.array(line(240)).min(1).max(6),
});
type Plan = z.output<typeof planAnswer>;

const critiqueAnswer = z.object({ points: z.array(line(300)).min(1).max(8) });

export const deploymentAgent = defineAgent({
  id: "deployment-agent",
  limits: LIMITS,
  cache: "input",
  async run(input, ctx) {
    const choice = chooseStrategy(input);
    const skeleton = { pipeline: pipelineSkeleton(input, choice.type), rollback: rollbackSkeleton(input, choice.type) };
    const application = inputText(input);

    ctx.step("Planning");
    const planRoom = ctx.model.room(PLAN_JOB, planAnswer) - PROMPT_MARGIN;
    const planFindings = fencedWithin("findings", `${strategyText(choice)}\n\n${skeletonText(skeleton.pipeline, skeleton.rollback)}`, Math.floor(planRoom / 2));
    const plan = await ctx.model.json({
      job: PLAN_JOB,
      prompt: `${fencedWithin("input", application, planRoom - byteLength(planFindings))}\n${planFindings}`,
      schema: planAnswer,
    });

    ctx.step("Critiquing");
    const critique = await ctx.model.json({
      job: CRITIQUE_JOB,
      prompt: reviewPrompt(application, strategyText(choice), planText(plan), ctx.model.room(CRITIQUE_JOB, critiqueAnswer) - PROMPT_MARGIN),
      schema: critiqueAnswer,
    });

    ctx.step("Finalising");
    if (ctx.model.calls >= LIMITS.calls) {
      throw new DomainError("internal", "The model's plan and critique both needed a repair, which leaves none of the run's model calls for the final plan");
    }
    const points = critique.points.map((p, i) => `${i + 1}. ${p}`).join("\n");
    const final = await ctx.model.json({
      job: FINAL_JOB,
      prompt: reviewPrompt(
        application,
        strategyText(choice, `Problems the review found:\n${points}`),
        planText(plan),
        ctx.model.room(FINAL_JOB, planAnswer) - PROMPT_MARGIN,
      ),
      schema: planAnswer,
    });

    return {
      strategy: { type: choice.type, reasons: [...new Set([...choice.reasons, ...final.reasons])] },
      pipeline: final.pipeline,
      rollback: final.rollback,
      risks: final.risks,
      critique: critique.points,
    } satisfies Output;
  },
});

/** The critique's and the final step's prompt: the application and the findings in a part of the room, the plan in the rest. */
function reviewPrompt(application: string, findings: string, plan: string, room: number): string {
  const head = `${fencedWithin("input", application, Math.min(REVIEW_INPUT_BYTES, Math.floor(room / 5)))}\n${fencedWithin("findings", findings, Math.min(REVIEW_FINDINGS_BYTES, Math.floor(room / 3)))}`;
  return `${head}\n${fencedWithin("answer", plan, room - byteLength(head))}`;
}

const yesNo = (value: boolean | undefined) => (value === undefined ? "not given" : value ? "yes" : "no");

/** The input, short fields first: the application's description is what a clip may cut. */
function inputText(input: DeploymentInput): string {
  return [
    `Stack: ${input.stack ?? "not given"}`,
    `Runs on: ${input.target ?? "not given"}`,
    `Traffic: ${input.traffic ?? "not given"}`,
    `Releases change the database schema: ${yesNo(input.databaseMigrations)}`,
    `Must deploy without downtime: ${yesNo(input.zeroDowntime)}`,
    `Constraints:${input.constraints?.length ? input.constraints.map((c) => `\n- ${c}`).join("") : " none given"}`,
    "Application:",
    input.application,
  ].join("\n");
}

/** The strategy for the findings, with whatever else the step must see between its type and its reasons (which a clip cuts first). */
const strategyText = (choice: StrategyChoice, between = "") =>
  [
    `Strategy, chosen by the platform's rules (keep it): ${choice.type}`,
    ...(between ? ["", between, ""] : []),
    "Reasons:",
    ...choice.reasons.map((r) => `- ${r}`),
  ].join("\n");

const stagesText = (stages: Stage[]) =>
  stages.map((s, i) => [`${i + 1}. ${s.stage} (gate: ${s.gate ?? "none"})`, ...s.steps.map((step) => `   - ${step}`)].join("\n")).join("\n");

const rollbackText = (rollback: Rollback) =>
  ["Rollback triggers:", ...rollback.triggers.map((t) => `- ${t}`), "Rollback steps:", ...rollback.steps.map((s, i) => `${i + 1}. ${s}`)].join("\n");

const skeletonText = (pipeline: Stage[], rollback: Rollback) => `Skeleton pipeline:\n${stagesText(pipeline)}\n\n${rollbackText(rollback)}`;

const planText = (plan: Plan) =>
  [
    `Reasons for the strategy:${plan.reasons.length ? plan.reasons.map((r) => `\n- ${r}`).join("") : " none added"}`,
    `Pipeline:\n${stagesText(plan.pipeline)}`,
    rollbackText(plan.rollback),
    `Risks:${plan.risks.map((r) => `\n- ${r}`).join("")}`,
  ].join("\n\n");
