import { agents, CREDIT_PRICE_USD, type RunEvent, type RunView } from "@bizbot/shared";
import {
  type AnthropicStandIn,
  bearer,
  readEvents,
  rest,
  signUpAccount,
  startAnthropicStandIn,
  type TestAccount,
  trpcMutation,
  trpcQuery,
} from "@bizbot/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../../test/harness.ts";
import { getBalance, grant } from "../credits/service.ts";
import { costOf } from "../llm/models.ts";
import type { App } from "../main.ts";
import { definitionOf } from "./agents/index.ts";

const ORIGIN = "https://shop.example.com";
const system = { type: "system" as const, id: null };
let app: App;
let model: AnthropicStandIn;
let account: TestAccount;

beforeAll(async () => {
  model = await startAnthropicStandIn();
  app = await startTestApp({ ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: model.url });
  account = await signUpAccount(app.url, { allowedOrigins: [ORIGIN] });
  await grant(app.deps, { tenantId: account.tenant.id, idempotencyKey: "seed", actor: system }, 100, "seed");
});
afterAll(async () => {
  await app?.close();
  await model?.close();
});

/** A browser on the tenant's site: its key, its origin, its own visitor id. */
const visitor = (id: string) => ({
  "x-bizbot-key": account.keys.live.publishable.key,
  origin: ORIGIN,
  "x-bizbot-visitor": id,
  "user-agent": "Mozilla/5.0 Firefox/140.0",
});
const ticket = { ticket: "Where is my parcel?" };

describe("every agent's model spend", () => {
  it("is capped, at the default model's prices, under half of what the tenant pays for a run", () => {
    for (const agent of agents) {
      const { limits } = definitionOf(agent.id);
      const worstCall = costOf("claude-sonnet-5-5", {
        inputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: limits.maxPromptBytes,
        outputTokens: limits.maxOutputTokens,
      });
      expect(limits.calls * worstCall, agent.id).toBeLessThan((agent.credits * CREDIT_PRICE_USD) / 2);
    }
  });
});

describe("the widget's agents", () => {
  it("lists the agents the tenant offers in the widget, with their forms and the visitor's free runs", async () => {
    const res = await trpcQuery<{ agents: Array<{ id: string; trial: { freeRuns: number; remaining: number }; inputSchema: { properties: object } }> }>(
      app.url,
      "widget.agents",
      { headers: visitor("fp-list") },
    );
    expect(res.status).toBe(200);
    // By default only the Ticket Resolver is in the widget, with three free runs.
    expect(res.data!.agents.map((a) => a.id)).toEqual(["ticket-resolver"]);
    expect(res.data!.agents[0]!.trial).toEqual({ freeRuns: 3, remaining: 3 });
    expect(Object.keys(res.data!.agents[0]!.inputSchema.properties)).toContain("ticket");
  });

  it("gives a visitor three free runs, then the paywall; a failed run gives its free run back", async () => {
    const headers = visitor("fp-trial");
    const runs: RunView[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await trpcMutation<RunView>(app.url, "widget.runAgent", {
        input: { agentId: "ticket-resolver", input: { ticket: `Question ${i}` } },
        headers,
      });
      expect(res.status).toBe(200);
      expect(res.data!.billing).toBe("trial");
      runs.push(res.data!);
    }
    const paywall = await trpcMutation(app.url, "widget.runAgent", { input: { agentId: "ticket-resolver", input: ticket }, headers });
    expect(paywall.status).toBe(402);
    expect(paywall.error!.data.reason).toBe("payment_required");
    expect((paywall.error!.data as { trial?: unknown }).trial).toEqual({ freeRuns: 3, remaining: 0, refusal: "exhausted" });
    // None of it touched the tenant's credits.
    const events = await collect(`widget.runEvents`, { runId: runs[2]!.id }, headers);
    expect(events.at(-1)!.type).toBe("succeeded");
    expect((await getBalance(app.deps.db, account.tenant.id)).available).toBe(100);

    // Another visitor: the model fails for good, and the free run comes back.
    const other = visitor("fp-failing");
    model.script({ kind: "error", type: "invalid_request_error" });
    const failing = await trpcMutation<RunView>(app.url, "widget.runAgent", { input: { agentId: "ticket-resolver", input: ticket }, headers: other });
    const ended = await collect("widget.runEvents", { runId: failing.data!.id }, other);
    expect(ended.at(-1)!.type).toBe("failed");
    const list = await trpcQuery<{ agents: Array<{ trial: { remaining: number } }> }>(app.url, "widget.agents", { headers: other });
    expect(list.data!.agents[0]!.trial.remaining).toBe(3);
    // A visitor sees their own runs only.
    const own = await trpcQuery<{ runs: RunView[] }>(app.url, "widget.runs", { input: {}, headers });
    expect(own.data!.runs.map((r) => r.id).sort()).toEqual(runs.map((r) => r.id).sort());
    expect((await trpcQuery(app.url, "widget.run", { input: { runId: runs[0]!.id }, headers: other })).status).toBe(404);
  });

  it("charges the tenant after the free runs when the tenant chose that, and refuses an agent kept off the widget", async () => {
    await trpcMutation(app.url, "settings.update", {
      input: { trialRuns: { "ticket-resolver": 0 }, agents: { "ticket-resolver": { afterTrial: "charge" } } },
      headers: bearer(account.token),
    });
    const res = await trpcMutation<RunView>(app.url, "widget.runAgent", {
      input: { agentId: "ticket-resolver", input: { ticket: "Paid question" } },
      headers: visitor("fp-paid"),
    });
    expect(res.data!.billing).toBe("credits");
    await collect("widget.runEvents", { runId: res.data!.id }, visitor("fp-paid"));
    expect((await getBalance(app.deps.db, account.tenant.id)).available).toBe(97);
    const hidden = await trpcMutation(app.url, "widget.runAgent", {
      input: { agentId: "security-scanner", input: { content: "x" } },
      headers: visitor("fp-paid"),
    });
    expect(hidden.status).toBe(403);
  });
});

describe("the portal and the API", () => {
  it("runs an agent from the portal and follows its events; members read, only admins run", async () => {
    const started = await trpcMutation<RunView>(app.url, "agents.start", {
      input: { agentId: "ticket-resolver", input: { ticket: "From the portal" } },
      headers: bearer(account.token),
    });
    expect(started.status).toBe(200);
    const events = await collect("agents.events", { runId: started.data!.id }, bearer(account.token));
    expect(events.at(-1)).toMatchObject({ type: "succeeded", run: { id: started.data!.id, status: "succeeded" } });
    const list = await trpcQuery<{ runs: RunView[] }>(app.url, "agents.listRuns", { input: { agentId: "ticket-resolver" }, headers: bearer(account.token) });
    expect(list.data!.runs.map((r) => r.id)).toContain(started.data!.id);
    // A person spending the tenant's credits is in the audit log, with the run.
    const audited = await app.deps.db
      .selectFrom("audit_log")
      .select(["actor_type", "actor_id", "target_id", "metadata"])
      .where("tenant_id", "=", account.tenant.id)
      .where("action", "=", "agent.run_started")
      .execute();
    expect(audited).toEqual([
      { actor_type: "user", actor_id: account.user.id, target_id: started.data!.id, metadata: { agentId: "ticket-resolver", price: 3, cached: false } },
    ]);
  });

  it("lists the catalogue over REST with each agent's input schema, and pages runs with a cursor", async () => {
    const res = await rest<{ agents: Array<{ id: string; credits: number; enabled: boolean; inputSchema: { type: string } }> }>(app.url, "GET", "/v1/agents", {
      headers: bearer(account.keys.live.secret.key),
    });
    expect(res.status).toBe(200);
    expect(res.body.agents).toHaveLength(10);
    expect(res.body.agents.find((a) => a.id === "data-processor")).toMatchObject({ credits: 5, enabled: true, inputSchema: { type: "object" } });
    const first = await rest<{ runs: RunView[]; nextCursor: string | null }>(app.url, "GET", "/v1/runs?limit=1", {
      headers: bearer(account.keys.live.secret.key),
    });
    expect(first.body.runs).toHaveLength(1);
    const second = await rest<{ runs: RunView[] }>(app.url, "GET", `/v1/runs?limit=1&cursor=${first.body.nextCursor}`, {
      headers: bearer(account.keys.live.secret.key),
    });
    expect(second.body.runs[0]!.id).not.toBe(first.body.runs[0]!.id);
    const bad = await rest(app.url, "GET", "/v1/runs?cursor=garbage", { headers: bearer(account.keys.live.secret.key) });
    expect(bad.status).toBe(400);
  });

  it("documents each agent's input and output in OpenAPI, with a typed path per agent", async () => {
    const doc = await rest<{
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; requestBody?: unknown; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    }>(app.url, "GET", "/v1/openapi.json");
    for (const name of ["TicketResolver", "SecurityScanner", "DataProcessor", "WorkflowOrchestrator", "EscalationManager"]) {
      expect(doc.body.components.schemas).toHaveProperty(`${name}Input`);
      expect(doc.body.components.schemas).toHaveProperty(`${name}Output`);
    }
    const generic = doc.body.paths["/agents/{agentId}/runs"]!.post!;
    expect(generic.parameters!.map((p) => `${p.in}:${p.name}`).sort()).toEqual(["header:Idempotency-Key", "path:agentId", "query:wait"]);
    const typed = doc.body.paths["/agents/data-processor/runs"]!.post!;
    expect(JSON.stringify(typed.requestBody)).toContain("#/components/schemas/DataProcessorInput");
    expect(JSON.stringify(typed.responses["200"])).toContain("#/components/schemas/DataProcessorOutput");
    expect(typed.responses).toHaveProperty("202");
    expect(doc.body.paths).toHaveProperty("/runs/{runId}");
    expect(doc.body.paths).toHaveProperty("/runs");
    expect(doc.body.paths).toHaveProperty("/agents");
  });

  it("refuses a malformed Idempotency-Key", async () => {
    const res = await rest(app.url, "POST", "/v1/agents/ticket-resolver/runs", {
      headers: { ...bearer(account.keys.live.secret.key), "idempotency-key": "has spaces in it" },
      body: { input: ticket },
    });
    expect(res.status).toBe(400);
  });
});

/** A subscription's events until the run ends. */
async function collect(path: string, input: unknown, headers: Record<string, string>): Promise<RunEvent[]> {
  const res = await fetch(`${app.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { accept: "text/event-stream", ...headers },
    signal: AbortSignal.timeout(15_000),
  });
  return readEvents<RunEvent>(res, (event) => event.type === "succeeded" || event.type === "failed");
}
