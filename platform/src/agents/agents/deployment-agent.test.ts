import { lastUserText, systemText } from "@bizbot/testing";
import { describe, expect, it } from "vitest";
import { agentContext, promptBytes, requestBody, runAgent, type TestRun, useAnthropicStandIn } from "../../../test/agent-context.ts";
import { deploymentAgent } from "./deployment-agent.ts";

const standIn = useAnthropicStandIn();
const INSTRUCTIONS = "Prefer GitHub Actions; write for a small team.";
const context = (instructions = INSTRUCTIONS) => agentContext("deployment-agent", standIn(), { instructions });
const deploy = (input: unknown, run: TestRun) => runAgent("deployment-agent", input, run);
const body = (i: number) => requestBody(standIn(), i);
const prompt = (i: number) => lastUserText(body(i));

const INPUT = {
  application: "An order API in Node.js with a Postgres database, behind an ALB.",
  stack: "TypeScript, Fastify, GitHub Actions",
  target: "kubernetes",
  traffic: "medium",
  databaseMigrations: true,
  zeroDowntime: true,
  constraints: ["Releases only on weekdays"],
};

const stage = (name: string, steps: string[], gate: string | null = null) => ({ stage: name, steps, gate });
const draft = {
  reasons: ["Orders must keep flowing during the switch"],
  pipeline: [
    stage("Build", ["npm ci", "npm run build"]),
    stage("Test", ["npm test"], "All tests pass"),
    stage("Deploy green", ["helm upgrade order-api-green"]),
    stage("Switch", ["Point the Service at green"]),
  ],
  rollback: { triggers: ["Errors go up"], steps: ["Point the Service back at blue"] },
  risks: ["Long-running migrations"],
};
const critique = {
  points: ["The rollback trigger 'Errors go up' has no threshold or duration.", "The expand migration is missing before the switch to green."],
};
const final = {
  reasons: ["Orders must keep flowing during the switch", "Blue stays warm for an instant rollback"],
  pipeline: [
    stage("Build", ["npm ci", "npm run build", "docker build -t order-api:$GITHUB_SHA ."]),
    stage("Test", ["npm test", "Run migrations against a copy of the schema"], "All tests pass"),
    stage("Deploy green", ["Apply the expand migration", "helm upgrade order-api-green"], "Green smoke tests pass"),
    stage("Switch", ["Point the Service at green", "Keep blue for 24 hours"], "Error rate under 1% for 10 minutes"),
  ],
  rollback: {
    triggers: ["5xx rate above 1% for 5 minutes", "p95 latency above 800 ms for 10 minutes"],
    steps: ["Point the Service back at blue", "Keep green for diagnosis"],
  },
  risks: ["Long-running migrations lock the orders table"],
};

describe("deployment-agent", () => {
  it("plans, critiques and finalises in three calls, keeping the strategy the rules chose", async () => {
    standIn().script(JSON.stringify(draft), JSON.stringify(critique), JSON.stringify(final));
    const run = context();
    const output = await deploy(INPUT, run);

    expect(output.strategy.type).toBe("blue-green");
    expect(output.strategy.reasons[0]).toMatch(/^Zero downtime with database schema changes: blue-green/);
    expect(output.strategy.reasons).toContain("Blue stays warm for an instant rollback");
    expect(output.strategy.reasons.filter((r) => r === "Orders must keep flowing during the switch")).toHaveLength(1);
    expect(output.pipeline).toEqual(final.pipeline);
    expect(output.rollback).toEqual(final.rollback);
    expect(output.risks).toEqual(final.risks);
    expect(output.critique).toEqual(critique.points);

    expect(standIn().requests).toHaveLength(3);
    expect(run.steps).toEqual(["Planning", "Critiquing", "Finalising"]);
    for (let i = 0; i < 3; i++) {
      expect(systemText(body(i))).toContain("<tenant_instructions>\nPrefer GitHub Actions");
      expect(prompt(i)).toMatch(/^<input>\nStack: TypeScript, Fastify, GitHub Actions\nRuns on: kubernetes\n/);
      expect(prompt(i)).toContain("- Releases only on weekdays");
      expect(prompt(i)).toContain("<findings>\nStrategy, chosen by the platform's rules (keep it): blue-green");
    }
    // Planning starts from the skeleton; the critique and the final step see the draft.
    expect(systemText(body(0))).toContain("You plan how a team ships an application");
    expect(prompt(0)).toContain("Skeleton pipeline:\n1. Build (gate: none)");
    expect(prompt(0)).toContain("Apply the expand migration before the switch");
    expect(prompt(0)).toContain("Rollback triggers:\n- Error rate (5xx) above 1%");
    expect(systemText(body(1))).toContain("You review a deployment plan");
    expect(prompt(1)).toContain("<answer>\nReasons for the strategy:\n- Orders must keep flowing during the switch");
    expect(prompt(1)).toContain("3. Deploy green (gate: none)\n   - helm upgrade order-api-green");
    expect(prompt(1)).not.toContain("Skeleton pipeline");
    expect(systemText(body(2))).toContain("You finalise a deployment plan");
    expect(prompt(2)).toContain(
      "Problems the review found:\n1. The rollback trigger 'Errors go up' has no threshold or duration.\n2. The expand migration is missing before the switch to green.",
    );
    expect(prompt(2)).toContain("<answer>\nReasons for the strategy:");
    expect(prompt(2)).toContain("- Errors go up");
  });

  it("repairs an unfit plan and still makes its three steps", async () => {
    const unfit = { ...draft, pipeline: draft.pipeline.slice(0, 2) };
    standIn().script(JSON.stringify(unfit), JSON.stringify(draft), JSON.stringify(critique), JSON.stringify(final));
    const run = context();
    const output = await deploy(INPUT, run);
    expect(output.pipeline).toEqual(final.pipeline);
    expect(standIn().requests).toHaveLength(4);
    expect(prompt(1)).toContain("pipeline: Too small: expected array to have >=4 items");
    expect(run.steps).toEqual(["Planning", "Critiquing", "Finalising"]);
  });

  it("fails clearly when the plan and the critique both needed a repair", async () => {
    standIn().script(JSON.stringify({ ...draft, risks: [] }), JSON.stringify(draft), JSON.stringify({ points: [] }), JSON.stringify(critique));
    const run = context();
    await expect(deploy(INPUT, run)).rejects.toThrow(/both needed a repair, which leaves none of the run's model calls for the final plan/);
    expect(standIn().requests).toHaveLength(4);
    expect(run.steps).toEqual(["Planning", "Critiquing", "Finalising"]);
  });

  it("fails when the final answer is unfit and the repair was spent", async () => {
    standIn().script(JSON.stringify({ ...draft, risks: [] }), JSON.stringify(draft), JSON.stringify(critique), JSON.stringify({ ...final, pipeline: [] }));
    await expect(deploy(INPUT, context())).rejects.toThrow(/did not fit the agent's result/);
    expect(standIn().requests).toHaveLength(4);
  });

  it("fails when the model fails, at any step", async () => {
    const overloaded = Array.from({ length: 3 }, () => ({ kind: "error" as const, type: "overloaded_error" as const }));
    standIn().script(...overloaded);
    await expect(deploy(INPUT, context())).rejects.toMatchObject({ name: "LlmError", failure: "overloaded" });

    standIn().requests.length = 0;
    standIn().script(JSON.stringify(draft), ...overloaded);
    const run = context();
    await expect(deploy(INPUT, run)).rejects.toMatchObject({ name: "LlmError", failure: "overloaded" });
    expect(run.steps).toEqual(["Planning", "Critiquing"]);
  });

  it("keeps the largest input within the prompt budget at every step", async () => {
    const largest = {
      // Fence tags inside the data are defused: the clip must still hold.
      application: "<input></findings> ".repeat(220).slice(0, 4000),
      stack: "s".repeat(500),
      target: "serverless",
      traffic: "high",
      databaseMigrations: true,
      zeroDowntime: true,
      constraints: Array.from({ length: 10 }, (_, i) => `${i} ${"c".repeat(298)}`),
    };
    const longest = (max: number) => "x".repeat(max);
    const bigPlan = {
      reasons: Array.from({ length: 3 }, () => longest(300)),
      pipeline: Array.from({ length: 10 }, () =>
        stage(
          longest(80),
          Array.from({ length: 6 }, () => longest(200)),
          longest(200),
        ),
      ),
      rollback: { triggers: Array.from({ length: 8 }, () => longest(200)), steps: Array.from({ length: 8 }, () => longest(200)) },
      risks: Array.from({ length: 6 }, () => longest(240)),
    };
    // The longest instructions the settings take, in two-byte letters, leave little room: the prompt still fits.
    for (const instructions of ["", "Ünïcödé instructions. ".repeat(200).slice(0, 4000)]) {
      standIn().requests.length = 0;
      standIn().script(JSON.stringify(bigPlan), JSON.stringify({ points: Array.from({ length: 8 }, () => longest(300)) }), JSON.stringify(final));
      const output = await deploy(largest, context(instructions));
      expect(output.strategy.type).toBe("blue-green");
      expect(standIn().requests).toHaveLength(3);
      for (let i = 0; i < 3; i++) expect(promptBytes(standIn(), i)).toBeLessThanOrEqual(deploymentAgent.limits.maxPromptBytes);
      expect(prompt(1)).toContain("[… cut: the rest is not shown]");
      expect(prompt(2)).toContain("Problems the review found:\n1. xxx");
    }
  });
});
