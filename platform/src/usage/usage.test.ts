import { bearer, signUpAccount, type TestAccount, trpcQuery } from "@bizbot/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { startTestApp } from "../../test/harness.ts";
import { insertRun } from "../agents/repository.ts";
import { findUserByEmail, listMemberships } from "../auth/repository.ts";
import { provisionTenant } from "../auth/service.ts";
import { insertAssistantMessage, insertConversation, insertVisitorMessage, markEscalated } from "../chat/repository.ts";
import { debit, grant, hold, purchase, refund, release, settle } from "../credits/service.ts";
import { HOUSE_OWNER_EMAIL } from "../house.ts";
import { newId } from "../lib/ids.ts";
import { noUsage } from "../llm/models.ts";
import type { App } from "../main.ts";
import { takeVisitorRun } from "../trials/repository.ts";
import { periodOf, type UsageSummary, usageSummary } from "./service.ts";

const DAY = 86_400_000;
const system = { type: "system" as const, id: null };
// A fixed present, noon UTC today: every row below is placed relative to it, so nothing depends on the clock.
const asOf = new Date(Math.floor(Date.now() / DAY) * DAY + 12 * 3_600_000);
/** `days` days before asOf's day (negative: before), at hh:mm UTC. */
const at = (days: number, hh = 10, mm = 0, ss = 0, ms = 0) =>
  new Date(Math.floor(asOf.getTime() / DAY) * DAY + days * DAY + ((hh * 60 + mm) * 60 + ss) * 1000 + ms);

let app: App;
let a: TestAccount;
let b: TestAccount;

async function backdate(table: "credit_ledger" | "agent_runs" | "conversations" | "messages", id: string, createdAt: Date, updatedAt?: Date) {
  await app.deps.db.transaction().execute(async (trx) => {
    // The ledger is append-only (a trigger): only this test's time travel, in its own transaction, goes around it.
    if (table === "credit_ledger") await sql`set local session_replication_role = replica`.execute(trx);
    await sql`update ${sql.table(table)} set created_at = ${createdAt} where id = ${id}`.execute(trx);
    if (updatedAt) await sql`update ${sql.table(table)} set updated_at = ${updatedAt} where id = ${id}`.execute(trx);
  });
}

const call = (tenantId: string, key: string) => ({ tenantId, idempotencyKey: key, actor: system });

/** Ledger movements: only grants and purchases add, only debits and settles spend; holds, releases and refunds do neither. */
async function seedLedger(tenantId: string) {
  const old = await grant(app.deps, call(tenantId, "old-grant"), 100, "before the period");
  await backdate("credit_ledger", old.entryId, at(-10));
  const granted = await grant(app.deps, call(tenantId, "grant"), 1000, "welcome");
  await backdate("credit_ledger", granted.entryId, at(-6, 0, 0));
  const bought = await purchase(app.deps, call(tenantId, "purchase"), 500, "pi_1");
  await backdate("credit_ledger", bought.entryId, at(-2));
  const debited = await debit(app.deps, call(tenantId, "debit"), 7, "reply");
  await backdate("credit_ledger", debited.entryId, at(-2, 23, 59, 59, 999));
  const refunded = await refund(app.deps, call(tenantId, "refund"), debited.entryId, 2, "sorry");
  await backdate("credit_ledger", refunded.entryId, at(-1));
  const held = await hold(app.deps, call(tenantId, "hold-1"), 5, "run_1");
  const settled = await settle(app.deps, call(tenantId, "settle-1"), held.holdId, 5);
  await backdate("credit_ledger", settled.entryId!, at(0, 9));
  const released = await hold(app.deps, call(tenantId, "hold-2"), 3, "run_2");
  await release(app.deps, call(tenantId, "release-2"), released.holdId);
  // Still open: held, not spent.
  await hold(app.deps, call(tenantId, "hold-3"), 4, "run_3");
}

async function seedRuns(tenantId: string) {
  const runs: Array<{
    agent: string;
    status: "running" | "succeeded" | "failed";
    billing: "credits" | "trial";
    charged: number;
    cost: string;
    day: Date;
    visitor?: string;
  }> = [
    { agent: "ticket-resolver", status: "succeeded", billing: "credits", charged: 3, cost: "0.012345", day: at(0) },
    { agent: "ticket-resolver", status: "failed", billing: "credits", charged: 0, cost: "0.001", day: at(-2) },
    { agent: "ticket-resolver", status: "succeeded", billing: "trial", charged: 0, cost: "0.002", day: at(-2), visitor: "v1" },
    { agent: "ticket-resolver", status: "succeeded", billing: "trial", charged: 0, cost: "0.002", day: at(0), visitor: "v1" },
    { agent: "ticket-resolver", status: "succeeded", billing: "trial", charged: 0, cost: "0.003", day: at(-6, 0, 0), visitor: "v2" },
    { agent: "security-scanner", status: "succeeded", billing: "credits", charged: 5, cost: "0.05", day: at(-6) },
    // Still running (its lease keeps the run sweeper away): a run, neither succeeded nor failed.
    { agent: "security-scanner", status: "running", billing: "credits", charged: 0, cost: "0", day: at(0, 11) },
    // Just before the period, and after it: not counted.
    { agent: "security-scanner", status: "succeeded", billing: "credits", charged: 5, cost: "0.5", day: at(-7, 23, 59, 59, 999) },
    { agent: "security-scanner", status: "succeeded", billing: "credits", charged: 5, cost: "0.5", day: at(1, 0, 0) },
  ];
  for (const run of runs) {
    const row = await insertRun(app.deps.db, {
      id: newId("run"),
      tenant_id: tenantId,
      agent_id: run.agent,
      status: run.status,
      input: JSON.stringify({ ticket: "hello" }),
      source: run.billing === "trial" ? "widget" : "api",
      actor_type: "system",
      actor_id: null,
      visitor_hash: run.visitor ?? null,
      billing: run.billing,
      price: 3,
      credits_charged: run.charged,
      cost_usd: run.cost,
      lease_until: run.status === "running" ? new Date(Date.now() + DAY) : null,
    });
    await backdate("agent_runs", row!.id, run.day);
  }
}

/** A conversation with `replies` answers of `cost` each, backdated: created at `start`, last active at `last`. */
async function conversation(
  tenantId: string,
  start: Date,
  last: Date,
  opts: { visitorMessages: number; replies: Array<{ cost: number; at: Date }>; escalate?: boolean },
) {
  const conv = await insertConversation(app.deps.db, { id: newId("conversation"), tenantId, visitorId: newId("visitor"), userId: null });
  await app.deps.db.transaction().execute(async (trx) => {
    for (let i = 0; i < opts.visitorMessages; i++) {
      const m = await insertVisitorMessage(trx, { id: newId("message"), tenantId, conversationId: conv.id, content: "Hi", context: [] });
      await sql`update messages set created_at = ${start} where id = ${m.id}`.execute(trx);
    }
    for (const reply of opts.replies) {
      const m = await insertAssistantMessage(trx, {
        id: newId("message"),
        tenantId,
        conversationId: conv.id,
        content: "Hello",
        citations: [],
        actions: [],
        mode: "model",
        notice: null,
        model: "claude",
        usage: noUsage(),
        costUsd: reply.cost,
        creditsCharged: 1,
      });
      await sql`update messages set created_at = ${reply.at} where id = ${m.id}`.execute(trx);
    }
    if (opts.escalate) await markEscalated(trx, tenantId, conv.id);
  });
  await backdate("conversations", conv.id, start, last);
  return conv.id;
}

async function seedConversations(tenantId: string) {
  // Answered, then quiet: resolved.
  await conversation(tenantId, at(-2, 9), at(-2, 9, 1), { visitorMessages: 1, replies: [{ cost: 0.0042, at: at(-2, 9, 1) }] });
  // Answered ten minutes ago: still going on.
  await conversation(tenantId, at(0, 11, 50), at(0, 11, 50), { visitorMessages: 1, replies: [{ cost: 0.001, at: at(0, 11, 50) }] });
  // The visitor asked for a person.
  await conversation(tenantId, at(0, 8), at(0, 8, 5), { visitorMessages: 1, replies: [], escalate: true });
  // Opened and never written in: not a conversation.
  await conversation(tenantId, at(-6, 3), at(-6, 3), { visitorMessages: 0, replies: [] });
  // Asked, never answered: open.
  await conversation(tenantId, at(-6, 0, 0), at(-6, 0, 0), { visitorMessages: 1, replies: [] });
  // Started before the period, answered in it: the answer's cost counts on its day, the conversation does not.
  await conversation(tenantId, at(-8), at(-1), { visitorMessages: 1, replies: [{ cost: 0.01, at: at(-1) }] });
}

async function seedTrials(tenantId: string) {
  await app.deps.settings.update(system, tenantId, { trialRuns: { "security-scanner": 2 } });
  const take = async (agent: string, visitor: string, times: number, last: Date) => {
    for (let i = 0; i < times; i++) await app.deps.db.transaction().execute((trx) => takeVisitorRun(trx, tenantId, agent, visitor, 10));
    await sql`update trial_usage set last_used_at = ${last} where tenant_id = ${tenantId} and agent_id = ${agent} and visitor_hash = ${visitor}`.execute(
      app.deps.db,
    );
  };
  await take("ticket-resolver", "v1", 3, at(0)); // used up: reached the call to action
  await take("ticket-resolver", "v2", 1, at(-6)); // one of three
  await take("ticket-resolver", "v3", 3, at(-9)); // used up before the period
  await take("ticket-resolver", "v4", 3, at(-1)); // used up two agents: counted once
  await take("security-scanner", "v4", 2, at(-1));
}

beforeAll(async () => {
  app = await startTestApp();
  a = await signUpAccount(app.url, { tenantName: "Usage A" });
  b = await signUpAccount(app.url, { tenantName: "Usage B" });
  for (const account of [a, b]) {
    await seedLedger(account.tenant.id);
    await seedRuns(account.tenant.id);
    await seedConversations(account.tenant.id);
    await seedTrials(account.tenant.id);
  }
  // B has more of everything on A's busiest day: none of it may show in A's figures.
  await grant(app.deps, call(b.tenant.id, "b-extra"), 777, "b only");
  await debit(app.deps, call(b.tenant.id, "b-extra-debit"), 70, "b only");
  await conversation(b.tenant.id, at(0, 1), at(0, 1), { visitorMessages: 1, replies: [{ cost: 1, at: at(0, 1) }] });
}, 120_000);
afterAll(() => app?.close());

const zeros = { creditsSpent: 0, creditsAdded: 0, agentRuns: 0, trialRuns: 0, conversations: 0, modelCostUsd: 0 };
const day = (offset: number) => at(offset).toISOString().slice(0, 10);

describe("usage.summary", () => {
  let summary: UsageSummary;
  beforeAll(async () => {
    summary = await usageSummary(app.deps, a.tenant.id, 7, asOf);
  });

  it("has every UTC day of the period, oldest first, zero-filled", () => {
    expect(summary.days).toBe(7);
    expect(summary.from).toBe(day(-6));
    expect(summary.to).toBe(day(0));
    expect(summary.daily.map((d) => d.date)).toEqual([-6, -5, -4, -3, -2, -1, 0].map(day));
    for (const offset of [-5, -4, -3]) expect(summary.daily.find((d) => d.date === day(offset))).toEqual({ date: day(offset), ...zeros });
  });

  it("counts each day exactly, from the first millisecond of the first day to the end of the last", () => {
    const byDay = Object.fromEntries(summary.daily.map(({ date, ...figures }) => [date, figures]));
    expect(byDay[day(-6)]).toEqual({ creditsSpent: 0, creditsAdded: 1000, agentRuns: 2, trialRuns: 1, conversations: 1, modelCostUsd: 0.053 });
    expect(byDay[day(-2)]).toEqual({ creditsSpent: 7, creditsAdded: 500, agentRuns: 2, trialRuns: 1, conversations: 1, modelCostUsd: 0.0072 });
    // The refund on day -1 is neither spent nor added; the old conversation's answer costs on its own day.
    expect(byDay[day(-1)]).toEqual({ ...zeros, modelCostUsd: 0.01 });
    // The settled hold spends; the released and the open one do not.
    expect(byDay[day(0)]).toEqual({ creditsSpent: 5, creditsAdded: 0, agentRuns: 3, trialRuns: 1, conversations: 2, modelCostUsd: 0.015345 });
    expect(summary.totals).toEqual({ creditsSpent: 12, creditsAdded: 1500, agentRuns: 7, trialRuns: 3, conversations: 4, modelCostUsd: 0.085545 });
  });

  it("gives the balance, with the spending pace and the low flag", async () => {
    // 100 + 1000 + 500 - 7 + 2 - 5 = 1590, 4 of them held.
    expect(summary.balance).toEqual({
      balance: 1590,
      held: 4,
      available: 1586,
      averageDailySpend: expect.any(Number),
      daysLeft: expect.any(Number),
      low: false,
    });
    // A was created today: its pace is per day of its life in the period, one day.
    expect(summary.balance.averageDailySpend).toBe(12);
    expect(summary.balance.daysLeft).toBe(132.1);

    const poor = await signUpAccount(app.url);
    await grant(app.deps, call(poor.tenant.id, "g"), 49, "a little");
    expect((await usageSummary(app.deps, poor.tenant.id, 30)).balance).toMatchObject({ available: 49, low: true, daysLeft: null, averageDailySpend: 0 });
    // 60 is over 50 credits, but under three days at 240 a day.
    const spender = await signUpAccount(app.url);
    await grant(app.deps, call(spender.tenant.id, "g"), 300, "some");
    await debit(app.deps, call(spender.tenant.id, "d"), 240, "busy");
    expect((await usageSummary(app.deps, spender.tenant.id, 30)).balance).toMatchObject({ available: 60, averageDailySpend: 240, daysLeft: 0.2, low: true });
    await grant(app.deps, call(spender.tenant.id, "g2"), 700, "more");
    expect((await usageSummary(app.deps, spender.tenant.id, 30)).balance).toMatchObject({ available: 760, low: false });
  });

  it("sums runs per agent: outcomes, credits and model cost", () => {
    expect(summary.agents).toEqual([
      { agentId: "ticket-resolver", runs: 5, succeeded: 4, failed: 1, trialRuns: 3, creditsSpent: 3, modelCostUsd: 0.020345 },
      { agentId: "security-scanner", runs: 2, succeeded: 1, failed: 0, trialRuns: 0, creditsSpent: 5, modelCostUsd: 0.05 },
    ]);
  });

  it("counts conversations by outcome", () => {
    expect(summary.conversations).toEqual({ total: 4, resolved: 1, escalated: 1, open: 2, resolutionRate: 0.25, escalationRate: 0.25 });
  });

  it("follows the trial funnel: runs, visitors, and visitors who used up their free runs", () => {
    expect(summary.trial).toEqual({ runs: 3, visitors: 2, exhaustedVisitors: 2, signupsAfterTrial: null });
  });

  it("shows tenant B its own figures, and A none of B's", async () => {
    const ofB = await usageSummary(app.deps, b.tenant.id, 7, asOf);
    expect(ofB.totals.creditsSpent).toBe(12 + 70);
    expect(ofB.conversations.total).toBe(5);
    // B's extras are today, by the clock (the grant and debit) or by asOf (the conversation).
    const again = await usageSummary(app.deps, a.tenant.id, 7, asOf);
    expect(again).toEqual(summary);
  });

  it("answers rates of null with no conversations, and zeros for a tenant with no activity", async () => {
    const fresh = await signUpAccount(app.url);
    const empty = await usageSummary(app.deps, fresh.tenant.id, 1);
    expect(empty.daily).toHaveLength(1);
    expect(empty.conversations).toEqual({ total: 0, resolved: 0, escalated: 0, open: 0, resolutionRate: null, escalationRate: null });
    expect(empty.totals).toEqual(zeros);
    expect(empty.agents).toEqual([]);
  });

  it("counts sign-ups from the house widget's trial for the house tenant only", async () => {
    // The house tenant as house.ts finds it; made here if this database has none, and then removed again after, so
    // that the house's own test still finds no house.
    const owner = await findUserByEmail(app.deps.db, HOUSE_OWNER_EMAIL);
    const made = owner ? null : await provisionTenant(app.deps.db, { name: "BizBot", ownerEmail: HOUSE_OWNER_EMAIL, modes: ["live"] }, system);
    const houseId = made ? made.tenant.id : (await listMemberships(app.deps.db, owner!.id))[0]!.tenantId;
    onTestFinished(async () => {
      if (!made) return;
      await app.deps.db.deleteFrom("tenants").where("id", "=", made.tenant.id).execute();
      await app.deps.db.deleteFrom("users").where("id", "=", made.owner.id).execute();
    });
    const before = (await usageSummary(app.deps, houseId, 7)).trial.signupsAfterTrial!;
    const signUps = await Promise.all([1, 2, 3, 4].map(() => signUpAccount(app.url)));
    const source = (account: TestAccount, value: string) =>
      sql`update tenants set signup_source = ${value} where id = ${account.tenant.id}`.execute(app.deps.db);
    await source(signUps[0]!, "widget-trial");
    await source(signUps[1]!, "widget-trial");
    await source(signUps[2]!, "portal");
    // A trial sign-up from before the period.
    await source(signUps[3]!, "widget-trial");
    await sql`update tenants set created_at = ${new Date(Date.now() - 10 * DAY)} where id = ${signUps[3]!.tenant.id}`.execute(app.deps.db);
    expect((await usageSummary(app.deps, houseId, 7)).trial.signupsAfterTrial).toBe(before + 2);
    expect((await usageSummary(app.deps, a.tenant.id, 7)).trial.signupsAfterTrial).toBeNull();
  });

  it("periods are whole UTC days ending today", () => {
    const p = periodOf(3, new Date("2026-03-10T23:59:59.999Z"));
    expect(p).toEqual({ first: "2026-03-08", last: "2026-03-10", start: new Date("2026-03-08T00:00:00Z"), end: new Date("2026-03-11T00:00:00Z") });
  });

  it("is a member query over tRPC: 30 days by default, 1 to 90, the caller's tenant", async () => {
    const res = await trpcQuery<UsageSummary>(app.url, "usage.summary", { input: {}, headers: bearer(a.token) });
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    expect(res.data!.daily).toHaveLength(30);
    expect(res.data!.to).toBe(new Date().toISOString().slice(0, 10));
    expect(res.data!.balance.balance).toBe(1590);
    for (const days of [0, 91, 1.5]) {
      const bad = await trpcQuery(app.url, "usage.summary", { input: { days }, headers: bearer(a.token) });
      expect(bad.status, String(days)).toBe(400);
      expect(Object.keys(bad.error!.data.fields ?? {})).toEqual(["days"]);
    }
    expect((await trpcQuery<UsageSummary>(app.url, "usage.summary", { input: { days: 90 }, headers: bearer(a.token) })).data!.daily).toHaveLength(90);
  });
});
