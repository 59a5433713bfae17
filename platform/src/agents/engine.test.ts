import type { RunEvent, RunView } from "@bizbot/shared";
import { type AnthropicStandIn, bearer, rest, signUpAccount, startAnthropicStandIn, type TestAccount, trpcMutation } from "@bizbot/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowCounts, startTestApp } from "../../test/harness.ts";
import { getBalance, grant } from "../credits/service.ts";
import { addDocument } from "../knowledge/service.ts";
import type { App } from "../main.ts";
import { claimRun, findRunById } from "./repository.ts";
import { executeRun } from "./runner.ts";
import { expireHolds } from "../credits/repository.ts";
import { MAX_RUN_ATTEMPTS, startRun } from "./service.ts";

const ORIGIN = "https://shop.example.com";
const system = { type: "system" as const, id: null };
let app: App;
let model: AnthropicStandIn;

beforeAll(async () => {
  model = await startAnthropicStandIn();
  app = await startTestApp({ ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: model.url, AGENT_TIMEOUT_SECONDS: "5" });
});
afterAll(async () => {
  await app?.close();
  await model?.close();
});

/** A tenant with `credits` and a small help centre. */
async function tenant(credits: number): Promise<TestAccount> {
  const account = await signUpAccount(app.url, { allowedOrigins: [ORIGIN] });
  if (credits > 0) await grant(app.deps, { tenantId: account.tenant.id, idempotencyKey: "seed", actor: system }, credits, "seed");
  await addDocument(app.deps, system, account.tenant.id, {
    title: "Refunds",
    format: "markdown",
    content: "# Refund policy\nRefunds are paid back to the original card within five business days of the return arriving.",
  });
  return account;
}

const answer = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    category: "refund",
    urgency: "normal",
    sentiment: "neutral",
    summary: "The customer wants to know when a refund arrives.",
    reply: "Refunds reach your card within five business days [1].",
    nextSteps: ["Confirm the return arrived"],
    needsHuman: false,
    ...over,
  });

const ticket = { ticket: "I returned my order last week. When do I get my money back?" };

function runAgent(account: TestAccount, body: unknown, options: { agent?: string; key?: string; query?: string; headers?: Record<string, string> } = {}) {
  return rest<RunView & { error: { code: string; message: string; fields?: Record<string, string[]> } }>(
    app.url,
    "POST",
    `/v1/agents/${options.agent ?? "ticket-resolver"}/runs${options.query ?? ""}`,
    { headers: { ...bearer(account.keys.live.secret.key), ...(options.key ? { "idempotency-key": options.key } : {}), ...options.headers }, body },
  );
}

const available = async (account: TestAccount) => (await getBalance(app.deps.db, account.tenant.id)).available;

describe("agent runs", () => {
  it("runs an agent end to end: held, run, settled once, stored with its usage", async () => {
    const account = await tenant(30);
    model.script(answer());
    const res = await runAgent(account, { input: ticket });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ agentId: "ticket-resolver", status: "succeeded", creditsCharged: 3, cached: false, billing: "credits", error: null });
    const output = res.body.output as { reply: string; citations: Array<{ n: number; title: string }> };
    expect(output.reply).toContain("[1]");
    expect(output.citations).toEqual([expect.objectContaining({ n: 1, title: "Refunds" })]);
    expect(res.body.usage.modelCalls).toBe(1);
    expect(res.body.steps).toEqual(["Searching the knowledge base", "Drafting the reply"]);
    // The output keeps the order its schema gives (the database does not sort its fields).
    expect(Object.keys(output)).toEqual(["category", "urgency", "sentiment", "summary", "reply", "citations", "nextSteps", "needsHuman"]);
    expect(res.body.usage.outputTokens).toBeGreaterThan(0);
    expect(res.body.usage.costUsd).toBeGreaterThan(0);
    expect(await getBalance(app.deps.db, account.tenant.id)).toEqual({ balance: 27, held: 0, available: 27 });
    // The prompt carried the ticket and the passage, each fenced as data.
    const sent = JSON.stringify(model.requests.at(-1)!.body);
    expect(sent).toContain("<input>");
    expect(sent).toContain("five business days");

    const read = await rest<RunView>(app.url, "GET", `/v1/runs/${res.body.id}`, { headers: bearer(account.keys.live.secret.key) });
    expect(read.body).toMatchObject({ id: res.body.id, status: "succeeded", creditsCharged: 3 });
    const list = await rest<{ runs: RunView[] }>(app.url, "GET", "/v1/runs?agentId=ticket-resolver", { headers: bearer(account.keys.live.secret.key) });
    expect(list.body.runs.map((r) => r.id)).toEqual([res.body.id]);
  });

  it("refuses bad input, a disabled agent and an unknown one, storing and charging nothing", async () => {
    const account = await tenant(30);
    const before = await rowCounts(app.deps.db);
    const bad = await runAgent(account, { input: { ticket: "" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty("input.ticket");
    const unknown = await runAgent(account, { input: ticket }, { agent: "mind-reader" });
    expect(unknown.status).toBe(400);
    const disable = await trpcMutation(app.url, "settings.update", {
      input: { agents: { "ticket-resolver": { enabled: false } } },
      headers: bearer(account.token),
    });
    expect(disable.status).toBe(200);
    const before2 = await rowCounts(app.deps.db);
    const disabled = await runAgent(account, { input: ticket });
    expect(disabled.status).toBe(403);
    expect(disabled.body.error.message).toMatch(/not enabled/);
    expect(await rowCounts(app.deps.db)).toEqual(before2);
    expect(before.agent_runs).toBe(before2.agent_runs);
    expect(await available(account)).toBe(30);
  });

  it("refuses with 503 model_not_configured when no model is set up, storing and charging nothing", async () => {
    const bare = await startTestApp();
    try {
      const account = await signUpAccount(bare.url);
      await grant(bare.deps, { tenantId: account.tenant.id, idempotencyKey: "seed", actor: system }, 30, "seed");
      const before = await rowCounts(bare.deps.db);
      const res = await rest<{ error: { code: string } }>(bare.url, "POST", "/v1/agents/ticket-resolver/runs", {
        headers: bearer(account.keys.live.secret.key),
        body: { input: ticket },
      });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe("model_not_configured");
      expect(await rowCounts(bare.deps.db)).toEqual(before);
    } finally {
      await bare.close();
    }
  });

  it("fails a run the model refuses, with the reason, and releases its hold", async () => {
    const account = await tenant(30);
    model.script({ kind: "error", type: "invalid_request_error", message: "prompt is too long" });
    const res = await runAgent(account, { input: ticket });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("failed");
    expect(res.body.error).toMatchObject({ code: "internal" });
    expect(res.body.error.message).toMatch(/AI model/);
    expect(res.body.creditsCharged).toBe(0);
    expect(await getBalance(app.deps.db, account.tenant.id)).toEqual({ balance: 30, held: 0, available: 30 });
  });

  it("retries a run through the queue when the model is overloaded, and charges it once", async () => {
    const account = await tenant(30);
    // The gateway's own three attempts fail, then the queue's next attempt of the run succeeds.
    model.script(...Array(3).fill({ kind: "error", type: "overloaded_error" }), answer());
    const res = await runAgent(account, { input: ticket }, { query: "?wait=20" });
    expect(res.body.status).toBe("succeeded");
    expect(res.body.creditsCharged).toBe(3);
    expect((await findRunById(app.deps.db, res.body.id))!.attempts).toBe(2);
    expect(await getBalance(app.deps.db, account.tenant.id)).toEqual({ balance: 27, held: 0, available: 27 });
  });

  it("repairs an answer that does not fit, once", async () => {
    const account = await tenant(30);
    model.script(JSON.stringify({ category: "refund" }), answer());
    const res = await runAgent(account, { input: ticket });
    expect(res.body.status).toBe("succeeded");
    expect(res.body.usage.modelCalls).toBe(2);
    const repair = JSON.stringify(model.requests.at(-1)!.body);
    expect(repair).toContain("<problems>");
  });

  it("answers 202 when the run is still going, and streams its events to an SSE client", async () => {
    const account = await tenant(30);
    model.script({ kind: "text", text: answer(), firstTokenDelayMs: 600 });
    const queued = await runAgent(account, { input: ticket }, { query: "?wait=0" });
    expect(queued.status).toBe(202);
    expect(["queued", "running"]).toContain(queued.body.status);

    model.script({ kind: "text", text: answer(), firstTokenDelayMs: 300 });
    const res = await fetch(`${app.url}/v1/agents/ticket-resolver/runs`, {
      method: "POST",
      headers: { ...bearer(account.keys.live.secret.key), "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ input: ticket }),
    });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = (await res.text())
      .split("\n\n")
      .flatMap((block) => /^data: (.*)$/m.exec(block)?.[1] ?? [])
      .map((data) => JSON.parse(data) as RunEvent);
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("queued");
    expect(types).toContain("started");
    expect(events.filter((e) => e.type === "step").map((e) => (e as { name: string }).name)).toEqual(["Searching the knowledge base", "Drafting the reply"]);
    expect(types.at(-1)).toBe("succeeded");
    expect((await waitForFinished(account, queued.body.id)).status).toBe("succeeded");
  });

  it("makes one run and one charge of 50 concurrent requests with one Idempotency-Key; another body under it is a 409", async () => {
    const account = await tenant(30);
    const results = await Promise.all(Array.from({ length: 50 }, () => runAgent(account, { input: ticket }, { key: "order-1234" })));
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([200]));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const runs = await app.deps.db.selectFrom("agent_runs").select("id").where("tenant_id", "=", account.tenant.id).execute();
    expect(runs).toHaveLength(1);
    expect(await getBalance(app.deps.db, account.tenant.id)).toEqual({ balance: 27, held: 0, available: 27 });
    const other = await runAgent(account, { input: { ticket: "Something else entirely" } }, { key: "order-1234" });
    expect(other.status).toBe(409);
  });

  it("accepts exactly 10 of 20 concurrent runs on credits for 10", async () => {
    const account = await tenant(30);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => runAgent(account, { input: { ticket: `Question number ${i}: where is my refund?` } }, { query: "?wait=0" })),
    );
    expect(results.filter((r) => r.status === 202 || r.status === 200)).toHaveLength(10);
    const refused = results.filter((r) => r.status === 402);
    expect(refused).toHaveLength(10);
    expect(refused[0]!.body.error.code).toBe("payment_required");
    const ids = results.filter((r) => r.status !== 402).map((r) => r.body.id);
    for (const id of ids) await waitForFinished(account, id);
    expect(await getBalance(app.deps.db, account.tenant.id)).toEqual({ balance: 0, held: 0, available: 0 });
    const ledger = await app.deps.db
      .selectFrom("credit_ledger")
      .select("kind")
      .where("tenant_id", "=", account.tenant.id)
      .where("kind", "=", "settle")
      .execute();
    expect(ledger).toHaveLength(10);
  });

  it("answers the same request again from the cache within a day, at the cached price, and says so", async () => {
    const account = await tenant(30);
    model.script(answer());
    const first = await runAgent(account, { input: ticket });
    const calls = model.requests.length;
    // The same request, but for spacing and line ends: the same answer at once, at half the price rounded up.
    const second = await runAgent(account, { input: { ticket: `  ${ticket.ticket.replace(/ /g, " ")}\r\n` } });
    expect(second.body).toMatchObject({ status: "succeeded", cached: true, creditsCharged: 2 });
    expect(second.body.output).toEqual(first.body.output);
    expect(model.requests.length).toBe(calls);
    const entry = await app.deps.db
      .selectFrom("credit_ledger")
      .select(["delta", "reference"])
      .where("tenant_id", "=", account.tenant.id)
      .where("kind", "=", "debit")
      .executeTakeFirstOrThrow();
    expect({ delta: Number(entry.delta), reference: entry.reference }).toEqual({ delta: -2, reference: `cache-hit:${second.body.id}` });
    // Other instructions make another request.
    await trpcMutation(app.url, "settings.update", {
      input: { agents: { "ticket-resolver": { instructions: "Sign off as the Acme team.", cachedRunCredits: 0 } } },
      headers: bearer(account.token),
    });
    model.script(answer());
    const third = await runAgent(account, { input: ticket });
    expect(third.body.cached).toBe(false);
    const fourth = await runAgent(account, { input: ticket });
    expect(fourth.body).toMatchObject({ cached: true, creditsCharged: 0 });
    expect(JSON.stringify(model.requests.at(-1)!.body)).toContain("Sign off as the Acme team.");
  });

  it("takes over a run whose worker died: the sweeper queues it again, and it is charged once", async () => {
    const account = await tenant(30);
    const run = await startRun(
      app.deps,
      { tenantId: account.tenant.id, agentId: "ticket-resolver", input: ticket, source: "api", actor: system },
      { enqueue: false },
    );
    // A worker claims the run and dies at once: its lease runs out with the run still "running".
    expect((await claimRun(app.deps.db, run.id, 0))!.attempts).toBe(1);
    model.script(answer());
    const done = await waitForFinished(account, run.id);
    expect(done).toMatchObject({ status: "succeeded", creditsCharged: 3 });
    expect((await findRunById(app.deps.db, run.id))!.attempts).toBe(2);
    expect(await getBalance(app.deps.db, account.tenant.id)).toEqual({ balance: 27, held: 0, available: 27 });
  });

  it("ends a run whose hold expired meanwhile without charging it, whether it fails or succeeds", async () => {
    const account = await tenant(30);
    const expire = async (holdId: string) => {
      await app.deps.db
        .updateTable("credit_holds")
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where("id", "=", holdId)
        .execute();
      await expireHolds(app.deps.db, 100);
    };
    const failing = await startRun(
      app.deps,
      { tenantId: account.tenant.id, agentId: "ticket-resolver", input: ticket, source: "api", actor: system },
      { enqueue: false },
    );
    await expire(failing.hold_id!);
    model.script({ kind: "error", type: "invalid_request_error" });
    await executeRun(app.deps, failing.id);
    expect(await findRunById(app.deps.db, failing.id)).toMatchObject({ status: "failed", credits_charged: 0 });

    const succeeding = await startRun(
      app.deps,
      { tenantId: account.tenant.id, agentId: "ticket-resolver", input: { ticket: "Another one" }, source: "api", actor: system },
      { enqueue: false },
    );
    await expire(succeeding.hold_id!);
    model.script(answer());
    await executeRun(app.deps, succeeding.id);
    expect(await findRunById(app.deps.db, succeeding.id)).toMatchObject({ status: "succeeded", credits_charged: 0 });
    expect(await getBalance(app.deps.db, account.tenant.id)).toEqual({ balance: 30, held: 0, available: 30 });
  });

  it("fails a run whose workers keep dying, after its last attempt, and returns its hold", async () => {
    const account = await tenant(30);
    const run = await startRun(
      app.deps,
      { tenantId: account.tenant.id, agentId: "ticket-resolver", input: ticket, source: "api", actor: system },
      { enqueue: false },
    );
    for (let i = 0; i < MAX_RUN_ATTEMPTS; i++) await claimRun(app.deps.db, run.id, 0);
    const done = await waitForFinished(account, run.id);
    expect(done.status).toBe("failed");
    expect(done.error!.message).toMatch(/interrupted 3 times/);
    expect(await getBalance(app.deps.db, account.tenant.id)).toEqual({ balance: 30, held: 0, available: 30 });
  });
});

async function waitForFinished(account: TestAccount, id: string): Promise<RunView> {
  for (let i = 0; i < 200; i++) {
    const res = await rest<RunView>(app.url, "GET", `/v1/runs/${id}`, { headers: bearer(account.keys.live.secret.key) });
    if (res.body.status === "succeeded" || res.body.status === "failed") return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${id} did not finish`);
}
