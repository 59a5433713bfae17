import type { RunView } from "@bizbot/shared";
import { type AnthropicStandIn, bearer, rest, signUpAccount, startAnthropicStandIn, type TestAccount, trpcMutation } from "@bizbot/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../../../test/harness.ts";
import { getBalance, grant } from "../../credits/service.ts";
import type { App } from "../../main.ts";
import { saveCheckpoint } from "../repository.ts";
import { executeRun } from "../runner.ts";
import { startRun } from "../service.ts";

// The orchestrator runs other agents as steps, each a run of its own: tested through the platform, where steps are
// started, charged and stored for real.

const system = { type: "system" as const, id: null };
let app: App;
let model: AnthropicStandIn;

beforeAll(async () => {
  model = await startAnthropicStandIn();
  app = await startTestApp({ ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: model.url });
});
afterAll(async () => {
  await app?.close();
  await model?.close();
});

async function tenant(): Promise<TestAccount> {
  const account = await signUpAccount(app.url);
  await grant(app.deps, { tenantId: account.tenant.id, idempotencyKey: "seed", actor: system }, 100, "seed");
  return account;
}

const plan = (steps: Array<{ agentId: string; input: unknown }>) =>
  JSON.stringify({
    steps: steps.map((s) => ({ agentId: s.agentId, purpose: `Run ${s.agentId}`, input: typeof s.input === "string" ? s.input : JSON.stringify(s.input) })),
  });
const resolved = JSON.stringify({
  category: "billing",
  urgency: "high",
  sentiment: "angry",
  summary: "Charged twice.",
  reply: "We are sorry you were charged twice; we will refund the second charge.",
  nextSteps: ["Refund the duplicate charge"],
  needsHuman: true,
});
const material = "I was charged twice for my order and I want my money back today.";

function run(account: TestAccount, input: unknown) {
  return rest<RunView>(app.url, "POST", "/v1/agents/workflow-orchestrator/runs?wait=30", { headers: bearer(account.keys.live.secret.key), body: { input } });
}

describe("workflow-orchestrator", () => {
  it("plans, runs each step as a charged run of its own passing results on, and sums up", async () => {
    const account = await tenant();
    model.script(
      // The first plan's step input is not JSON: repaired once.
      plan([{ agentId: "ticket-resolver", input: "ticket: {{material}}" }]),
      plan([
        { agentId: "ticket-resolver", input: { ticket: "{{material}}" } },
        { agentId: "knowledge-base", input: { question: "{{step 1}}" } },
      ]),
      resolved,
      JSON.stringify({ answer: "", answered: false, proposedFaqs: [] }),
      "The ticket was answered and checked against the help centre.",
    );
    const res = await run(account, { goal: "Answer the customer and check the help centre covers it", material, maxSteps: 2 });
    expect(res.body.status).toBe("succeeded");
    const output = res.body.output as {
      steps: Array<{ agentId: string; status: string; creditsCharged: number; runId: string }>;
      completed: boolean;
      summary: string;
    };
    expect(output.completed).toBe(true);
    expect(output.summary).toBe("The ticket was answered and checked against the help centre.");
    expect(output.steps.map((s) => [s.agentId, s.status, s.creditsCharged])).toEqual([
      ["ticket-resolver", "succeeded", 3],
      ["knowledge-base", "succeeded", 4],
    ]);
    // The material reached step 1, and step 1's reply reached step 2.
    const bodies = model.requests.slice(-3).map((r) => JSON.stringify(r.body));
    expect(bodies[0]).toContain("charged twice for my order");
    expect(bodies[1]).toContain("we will refund the second charge");
    // The workflow's fee and each step at its own price: 8 + 3 + 4.
    expect(res.body.creditsCharged).toBe(8);
    expect(await getBalance(app.deps.db, account.tenant.id)).toEqual({ balance: 85, held: 0, available: 85 });
    const steps = await app.deps.db
      .selectFrom("agent_runs")
      .select(["agent_id", "parent_run_id", "credits_charged"])
      .where("parent_run_id", "=", res.body.id)
      .execute();
    expect(steps).toHaveLength(2);
    // Steps are read through their workflow, not listed on their own.
    const listed = await rest<{ runs: RunView[] }>(app.url, "GET", "/v1/runs", { headers: bearer(account.keys.live.secret.key) });
    expect(listed.body.runs.map((r) => r.agentId)).toEqual(["workflow-orchestrator"]);
  });

  it("stops at a failed step with what was done: earlier steps keep their charges, its own fee is released", async () => {
    const account = await tenant();
    model.script(
      plan([
        { agentId: "ticket-resolver", input: { ticket: "{{material}}" } },
        { agentId: "knowledge-base", input: { question: "{{step 1}}" } },
      ]),
      resolved,
      { kind: "error", type: "invalid_request_error", message: "refused" },
    );
    const res = await run(account, { goal: "Answer and check", material, maxSteps: 2 });
    expect(res.body.status).toBe("failed");
    expect(res.body.error!.message).toMatch(/Stopped at step 2 \(Knowledge Base Agent\)/);
    const output = res.body.output as { steps: Array<{ status: string; creditsCharged: number }>; completed: boolean };
    expect(output.completed).toBe(false);
    expect(output.steps.map((s) => [s.status, s.creditsCharged])).toEqual([
      ["succeeded", 3],
      ["failed", 0],
    ]);
    expect(res.body.creditsCharged).toBe(0);
    expect(await getBalance(app.deps.db, account.tenant.id)).toEqual({ balance: 97, held: 0, available: 97 });
  });

  it("carries on a retried workflow from its saved plan, without running or charging a finished step again", async () => {
    const account = await tenant();
    const headers = bearer(account.keys.live.secret.key);
    const input = { goal: "Answer and check", material, maxSteps: 2 };
    const workflow = await startRun(
      app.deps,
      { tenantId: account.tenant.id, agentId: "workflow-orchestrator", input, source: "api", actor: system },
      { enqueue: false },
    );
    // What a first attempt left before its worker died: the plan, and step 1 done (and charged).
    const saved = JSON.parse(
      plan([
        { agentId: "ticket-resolver", input: { ticket: "{{material}}" } },
        { agentId: "knowledge-base", input: { question: "{{step 1}}" } },
      ]),
    );
    await saveCheckpoint(app.deps.db, workflow.id, "plan", saved);
    const step1 = await startRun(
      app.deps,
      {
        tenantId: account.tenant.id,
        agentId: "ticket-resolver",
        input: { ticket: material },
        source: "workflow",
        actor: system,
        idempotencyKey: `workflow:${workflow.id}:0`,
        parent: { runId: workflow.id, index: 0 },
      },
      { enqueue: false },
    );
    model.script(resolved);
    await executeRun(app.deps, step1.id);
    const asked = model.requests.length;

    model.script(JSON.stringify({ answer: "", answered: false, proposedFaqs: [] }), "Done.");
    await executeRun(app.deps, workflow.id);
    // No new plan and no second run of step 1: the knowledge base step and the summary only.
    expect(model.requests.length - asked).toBe(2);
    const done = await rest<RunView>(app.url, "GET", `/v1/runs/${workflow.id}`, { headers });
    expect(done.body).toMatchObject({ status: "succeeded", creditsCharged: 8 });
    expect(await getBalance(app.deps.db, account.tenant.id)).toEqual({ balance: 85, held: 0, available: 85 });
  });

  it("is offered to servers and the portal only, never in the widget", async () => {
    const account = await tenant();
    const res = await trpcMutation(app.url, "settings.update", {
      input: { agents: { "workflow-orchestrator": { visibility: "widget" } } },
      headers: bearer(account.token),
    });
    expect(res.status).toBe(400);
    expect(res.error!.data.fields).toHaveProperty("agents.workflow-orchestrator.visibility");
  });

  it("uses only the agents the tenant enabled, and refuses a goal when none is", async () => {
    const account = await tenant();
    const others = [
      "ticket-resolver",
      "security-scanner",
      "knowledge-base",
      "incident-responder",
      "data-processor",
      "deployment-agent",
      "audit-agent",
      "report-generator",
      "escalation-manager",
    ];
    await app.deps.settings.update(system, account.tenant.id, { agents: Object.fromEntries(others.map((id) => [id, { enabled: false }])) });
    const res = await run(account, { goal: "Do something" });
    expect(res.body.status).toBe("failed");
    expect(res.body.error).toMatchObject({ code: "invalid_input" });
    expect(await getBalance(app.deps.db, account.tenant.id)).toEqual({ balance: 100, held: 0, available: 100 });
  });
});
