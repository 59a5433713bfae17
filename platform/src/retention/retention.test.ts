import { bearer, signUpAccount, trpcMutation, trpcQuery, type TestAccount } from "@bizbot/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../../test/harness.ts";
import { insertRun, type RunRow } from "../agents/repository.ts";
import type { RunStatus } from "../db/schema.ts";
import { newId } from "../lib/ids.ts";
import type { App } from "../main.ts";
import type { TenantSettings } from "../tenants/settings.ts";
import { RetentionSweeper } from "./sweeper.ts";

const DAY = 24 * 60 * 60 * 1000;
/** The clock of every sweep here (the timer's sweep reads the real one): rows are dated relative to it. */
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

let app: App;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const sweeper = (batchSize?: number) => new RetentionSweeper(app.deps.db, app.deps.log, { batchSize });

const setRetention = async (account: TestAccount, retention: Record<string, unknown>) => {
  const res = await trpcMutation<TenantSettings>(app.url, "settings.update", { input: { retention }, headers: bearer(account.token) });
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return res.data!.retention;
};

async function run(account: TestAccount, status: RunStatus, createdDaysAgo: number, finishedDaysAgo: number | null = createdDaysAgo): Promise<RunRow> {
  return (await insertRun(app.deps.db, {
    id: newId("run"),
    tenant_id: account.tenant.id,
    agent_id: "ticket-resolver",
    status,
    input: JSON.stringify({ ticket: "My order 1234 never came; my address is 1 Main St" }),
    output: status === "succeeded" ? JSON.stringify({ reply: "Sorry! We resent it." }) : null,
    steps: JSON.stringify(["Reading the ticket"]),
    checkpoint: JSON.stringify({ plan: ["a"] }),
    source: "api",
    actor_type: "api_key",
    actor_id: null,
    billing: "credits",
    price: 3,
    credits_charged: status === "succeeded" ? 3 : 0,
    input_tokens: 120,
    cost_usd: "0.0125",
    created_at: daysAgo(createdDaysAgo),
    finished_at: finishedDaysAgo === null ? null : daysAgo(finishedDaysAgo),
  }))!;
}

const reread = (r: RunRow) => app.deps.db.selectFrom("agent_runs").selectAll().where("id", "=", r.id).executeTakeFirstOrThrow();

async function conversation(account: TestAccount, createdDaysAgo: number, activeDaysAgo: number, messages = 2): Promise<string> {
  const id = newId("conversation");
  await app.deps.db
    .insertInto("conversations")
    .values({
      id,
      tenant_id: account.tenant.id,
      visitor_id: newId("visitor"),
      user_id: null,
      created_at: daysAgo(createdDaysAgo),
      updated_at: daysAgo(activeDaysAgo),
    })
    .execute();
  for (let i = 0; i < messages; i++) {
    await app.deps.db
      .insertInto("messages")
      .values({ id: newId("message"), tenant_id: account.tenant.id, conversation_id: id, role: i % 2 ? "assistant" : "visitor", content: `Message ${i}` })
      .execute();
  }
  return id;
}

const conversationsOf = async (account: TestAccount) =>
  (await app.deps.db.selectFrom("conversations").select("id").where("tenant_id", "=", account.tenant.id).orderBy("id").execute()).map((r) => r.id);
const messagesOf = async (conversationId: string) =>
  (await app.deps.db.selectFrom("messages").select("id").where("conversation_id", "=", conversationId).execute()).length;

describe("retention settings", () => {
  it("default to 30 days of agent inputs and conversations kept, and check their bounds", async () => {
    const account = await signUpAccount(app.url);
    const current = await trpcQuery<TenantSettings>(app.url, "settings.get", { headers: bearer(account.token) });
    expect(current.data!.retention).toEqual({ agentInputDays: 30, conversationDays: null });
    for (const [retention, field] of [
      [{ agentInputDays: 0 }, "retention.agentInputDays"],
      [{ agentInputDays: 3651 }, "retention.agentInputDays"],
      [{ agentInputDays: 1.5 }, "retention.agentInputDays"],
      [{ agentInputDays: null }, "retention.agentInputDays"],
      [{ conversationDays: 0 }, "retention.conversationDays"],
      [{ conversationDays: "forever" }, "retention.conversationDays"],
      [{ keepForever: true }, "retention"],
    ] as const) {
      const res = await trpcMutation(app.url, "settings.update", { input: { retention }, headers: bearer(account.token) });
      expect(res.status, JSON.stringify(retention)).toBe(400);
      expect(Object.keys(res.error!.data.fields ?? {}), JSON.stringify(retention)).toEqual([field]);
    }
    expect(await setRetention(account, { conversationDays: 90 })).toEqual({ agentInputDays: 30, conversationDays: 90 });
    expect(await setRetention(account, { agentInputDays: 3650 })).toEqual({ agentInputDays: 3650, conversationDays: 90 });
    expect(await setRetention(account, { conversationDays: null })).toEqual({ agentInputDays: 3650, conversationDays: null });
  });
});

describe("the retention sweep", () => {
  it("clears the input and output of finished runs past the tenant's days, keeping their accounting", async () => {
    const byDefault = await signUpAccount(app.url);
    const weekly = await signUpAccount(app.url);
    await setRetention(weekly, { agentInputDays: 7 });
    const due = [await run(byDefault, "succeeded", 40), await run(byDefault, "failed", 31), await run(weekly, "succeeded", 8)];
    const kept = [
      await run(byDefault, "succeeded", 29),
      await run(weekly, "succeeded", 6),
      // Never a run still waiting or working, however old.
      await run(byDefault, "queued", 40, null),
      await run(byDefault, "running", 40, null),
      // Created before the cutoff but finished after it: its output still answers the response cache.
      await run(byDefault, "succeeded", 30.1, 29.9),
    ];

    await sweeper().sweep(now);
    for (const r of due) {
      const after = await reread(r);
      expect(after).toMatchObject({ input: {}, output: null, steps: [], checkpoint: {}, purged_at: now });
      expect(after).toMatchObject({ status: r.status, credits_charged: r.credits_charged, input_tokens: 120, cost_usd: r.cost_usd, price: 3 });
    }
    for (const r of kept) expect(await reread(r)).toEqual(r);

    // Sweeping again changes nothing.
    await sweeper().sweep(new Date(now.getTime() + 60_000));
    for (const r of due) expect((await reread(r)).purged_at).toEqual(now);
  });

  it("deletes conversations, with their messages, whose last activity is past conversationDays; keeps them by default", async () => {
    const keeper = await signUpAccount(app.url);
    const monthly = await signUpAccount(app.url);
    await setRetention(monthly, { conversationDays: 30 });
    const keptByDefault = await conversation(keeper, 400, 400);
    const stale = await conversation(monthly, 45, 31, 3);
    const longButActive = await conversation(monthly, 45, 5);
    const recent = await conversation(monthly, 2, 1);

    await sweeper().sweep(now);
    expect(await conversationsOf(keeper)).toEqual([keptByDefault]);
    expect(await conversationsOf(monthly)).toEqual([longButActive, recent].sort());
    expect(await messagesOf(stale)).toBe(0);
    expect(await messagesOf(longButActive)).toBe(2);
  });

  it("works in batches, and several sweepers at once clear each row once", async () => {
    const busy = await signUpAccount(app.url);
    await setRetention(busy, { agentInputDays: 1, conversationDays: 1 });
    const runs = await Promise.all(Array.from({ length: 23 }, (_, i) => run(busy, "succeeded", 2 + i / 10)));
    const conversations = await Promise.all(Array.from({ length: 17 }, () => conversation(busy, 3, 2, 1)));
    // Every row any sweeper at `now` will take, in the whole database: what the sweepers together must report.
    const dueRuns = await sql<{ n: number }>`
      select count(*)::int as n from agent_runs r left join tenant_settings s on s.tenant_id = r.tenant_id
      where r.purged_at is null and r.status in ('succeeded', 'failed')
        and r.created_at < ${now}::timestamptz - make_interval(days => coalesce((s.retention ->> 'agentInputDays')::int, 30))
        and (r.finished_at is null or r.finished_at < ${now}::timestamptz - make_interval(days => coalesce((s.retention ->> 'agentInputDays')::int, 30)))`.execute(
      app.deps.db,
    );
    const dueConversations = await sql<{ n: number }>`
      select count(*)::int as n from conversations c join tenant_settings s on s.tenant_id = c.tenant_id
      where s.retention ->> 'conversationDays' is not null
        and c.updated_at < ${now}::timestamptz - make_interval(days => (s.retention ->> 'conversationDays')::int)`.execute(app.deps.db);
    expect(dueRuns.rows[0]!.n).toBeGreaterThanOrEqual(runs.length);
    expect(dueConversations.rows[0]!.n).toBeGreaterThanOrEqual(conversations.length);

    const results = await Promise.all([sweeper(2).sweep(now), sweeper(3).sweep(now), sweeper(5).sweep(now)]);
    expect(results.reduce((sum, r) => sum + r.runsPurged, 0)).toBe(dueRuns.rows[0]!.n);
    expect(results.reduce((sum, r) => sum + r.conversationsDeleted, 0)).toBe(dueConversations.rows[0]!.n);
    for (const r of runs) expect((await reread(r)).purged_at).toEqual(now);
    expect(await conversationsOf(busy)).toEqual([]);
  });

  it("runs on its timer and stops when closed", async () => {
    const account = await signUpAccount(app.url);
    await setRetention(account, { agentInputDays: 1 });
    const old = await run(account, "succeeded", 3);
    const timed = new RetentionSweeper(app.deps.db, app.deps.log, { intervalMs: 20 });
    timed.start();
    const deadline = Date.now() + 10_000;
    while (!(await reread(old)).purged_at && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await timed.close();
    expect((await reread(old)).purged_at).not.toBeNull();
    const later = await run(account, "succeeded", 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await reread(later)).purged_at).toBeNull();
  });
});
