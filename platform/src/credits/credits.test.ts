import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpAccount } from "@bizbot/testing";
import { startTestApp } from "../../test/harness.ts";
import type { App } from "../main.ts";
import { clawback, debit, getBalance, grant, hold, ledgerPage, purchase, refund, release, settle, type CreditCall } from "./service.ts";
import { expireHolds } from "./repository.ts";

let app: App;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const system = { type: "system" as const, id: null };
let keySeq = 0;
const call = (tenantId: string, idempotencyKey = `k-${Date.now()}-${keySeq++}`): CreditCall => ({ tenantId, idempotencyKey, actor: system });

async function newTenant(credits = 0) {
  const account = await signUpAccount(app.url);
  if (credits > 0) await grant(app.deps, call(account.tenant.id), credits, "test funds");
  return account.tenant.id;
}

/** The invariant: the balance row equals the sum of the ledger, and held equals the active holds. */
async function assertBooksBalance(tenantId: string) {
  const db = app.deps.db;
  const account = await db.selectFrom("credit_accounts").select(["balance", "held"]).where("tenant_id", "=", tenantId).executeTakeFirstOrThrow();
  const ledger = await sql<{ total: string }>`select coalesce(sum(delta), 0)::text as total from credit_ledger where tenant_id = ${tenantId}`.execute(db);
  const holds = await sql<{
    total: string;
  }>`select coalesce(sum(amount), 0)::text as total from credit_holds where tenant_id = ${tenantId} and status = 'active'`.execute(db);
  expect(Number(account.balance)).toBe(Number(ledger.rows[0]!.total));
  expect(Number(account.held)).toBe(Number(holds.rows[0]!.total));
  return { balance: Number(account.balance), held: Number(account.held) };
}

const statusOf = (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (e: { reason?: string }) => e.reason ?? String(e),
  );

describe("credits under concurrency", () => {
  it("1,000 concurrent 1-credit debits against 500: exactly 500 succeed, the rest get 402", async () => {
    const tenant = await newTenant(500);
    const outcomes = await Promise.all(Array.from({ length: 1000 }, (_, i) => statusOf(debit(app.deps, call(tenant, `debit-${i}`), 1, `run-${i}`))));
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(500);
    expect(outcomes.filter((o) => o === "payment_required")).toHaveLength(500);
    expect(await assertBooksBalance(tenant)).toEqual({ balance: 0, held: 0 });
    expect(await getBalance(app.deps.db, tenant)).toEqual({ balance: 0, held: 0, available: 0 });
  });

  it("holds the same with a mix of debits, holds, settles and releases", async () => {
    const tenant = await newTenant(500);
    const ops = Array.from({ length: 600 }, async (_, i) => {
      const kind = i % 3;
      if (kind === 0) return statusOf(debit(app.deps, call(tenant), 1, null));
      const held = await hold(app.deps, call(tenant), 2, `run-${i}`).catch((e: { reason: string }) => e);
      if ("reason" in held) return held.reason;
      return kind === 1 ? statusOf(settle(app.deps, call(tenant), held.holdId, i % 2)) : statusOf(release(app.deps, call(tenant), held.holdId));
    });
    const outcomes = await Promise.all(ops);
    expect(outcomes.every((o) => o === "ok" || o === "payment_required")).toBe(true);
    const { balance, held } = await assertBooksBalance(tenant);
    expect(held).toBe(0);
    expect(balance).toBeGreaterThanOrEqual(0);
    const spent = await sql<{
      n: string;
    }>`select coalesce(-sum(delta), 0)::text as n from credit_ledger where tenant_id = ${tenant} and kind in ('debit', 'settle')`.execute(app.deps.db);
    expect(balance).toBe(500 - Number(spent.rows[0]!.n));
  });

  it("200 concurrent calls with one idempotency key: one ledger entry, 200 identical answers", async () => {
    const tenant = await newTenant(10);
    const answers = await Promise.all(Array.from({ length: 200 }, () => debit(app.deps, call(tenant, "same-key"), 3, "order-1")));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]).toMatchObject({ balance: 7, held: 0, available: 7 });
    const entries = await app.deps.db.selectFrom("credit_ledger").select("id").where("tenant_id", "=", tenant).where("kind", "=", "debit").execute();
    expect(entries).toHaveLength(1);
    expect(answers[0]!.entryId).toBe(String(entries[0]!.id));
    await assertBooksBalance(tenant);
  });
});

describe("credit operations", () => {
  it("replays a key's first answer and refuses the key for other parameters with 409", async () => {
    const tenant = await newTenant(20);
    const first = await debit(app.deps, call(tenant, "k1"), 5, "a");
    await grant(app.deps, call(tenant), 100, "more");
    expect(await debit(app.deps, call(tenant, "k1"), 5, "a")).toEqual(first);
    await expect(debit(app.deps, call(tenant, "k1"), 6, "a")).rejects.toMatchObject({ reason: "conflict", status: 409 });
    await expect(grant(app.deps, call(tenant, "k1"), 5, "a")).rejects.toMatchObject({ reason: "conflict" });
    // Keys are per tenant: another tenant may use the same one.
    const other = await newTenant(10);
    await expect(debit(app.deps, call(other, "k1"), 5, "a")).resolves.toMatchObject({ balance: 5 });
  });

  it("names the shortfall when credits are insufficient, and a refused key stays usable", async () => {
    const tenant = await newTenant(3);
    await expect(debit(app.deps, call(tenant, "later"), 5, null)).rejects.toMatchObject({
      reason: "payment_required",
      status: 402,
      message: "Insufficient credits: this needs 5, 3 available (short by 2)",
    });
    await grant(app.deps, call(tenant), 2, "top-up");
    await expect(debit(app.deps, call(tenant, "later"), 5, null)).resolves.toMatchObject({ balance: 0 });
  });

  it("settles at most the held amount, once, and counts holds against what is available", async () => {
    const tenant = await newTenant(10);
    const h = await hold(app.deps, call(tenant), 8, "agent-run");
    expect(h).toMatchObject({ amount: 8, balance: 10, held: 8, available: 2 });
    await expect(debit(app.deps, call(tenant), 3, null)).rejects.toMatchObject({ reason: "payment_required" });
    await expect(settle(app.deps, call(tenant), h.holdId, 9)).rejects.toMatchObject({ reason: "invalid_input" });
    expect(await settle(app.deps, call(tenant), h.holdId, 6)).toMatchObject({ charged: 6, balance: 4, held: 0, available: 4 });
    await expect(settle(app.deps, call(tenant), h.holdId, 1)).rejects.toMatchObject({ reason: "conflict", message: "The hold is already settled" });
    await expect(release(app.deps, call(tenant), h.holdId)).rejects.toMatchObject({ reason: "conflict" });
    await expect(settle(app.deps, call(tenant), `hold_${"a".repeat(26)}`, 1)).rejects.toMatchObject({ reason: "not_found" });
    await assertBooksBalance(tenant);
  });

  it("sweeps expired holds back into the available balance, and refuses to settle them", async () => {
    const tenant = await newTenant(10);
    const h = await hold(app.deps, call(tenant), 4, null, 1);
    await app.deps.db
      .updateTable("credit_holds")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", h.holdId)
      .execute();
    await expect(settle(app.deps, call(tenant), h.holdId, 4)).rejects.toMatchObject({ reason: "conflict", message: expect.stringContaining("expired") });
    expect(await expireHolds(app.deps.db, 100)).toBeGreaterThanOrEqual(1);
    expect(await getBalance(app.deps.db, tenant)).toEqual({ balance: 10, held: 0, available: 10 });
    expect((await app.deps.db.selectFrom("credit_holds").select("status").where("id", "=", h.holdId).executeTakeFirstOrThrow()).status).toBe("expired");
    await assertBooksBalance(tenant);
  });

  it("refunds a debit up to what it took, even when refunds race", async () => {
    const tenant = await newTenant(10);
    const charged = await debit(app.deps, call(tenant), 6, "run-9");
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => statusOf(refund(app.deps, call(tenant, `refund-${i}`), charged.entryId, 2, "failed run"))),
    );
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(3);
    expect(outcomes.filter((o) => o === "invalid_input")).toHaveLength(7);
    expect(await getBalance(app.deps.db, tenant)).toMatchObject({ balance: 10 });
    // A retry of an accepted refund replays its answer instead of refusing.
    const accepted = outcomes.indexOf("ok");
    await expect(refund(app.deps, call(tenant, `refund-${accepted}`), charged.entryId, 2, "failed run")).resolves.toMatchObject({
      balance: expect.any(Number),
    });
    const grantEntry = (await ledgerPage(app.deps.db, tenant, null, 50)).entries.find((e) => e.kind === "grant")!;
    await expect(refund(app.deps, call(tenant), grantEntry.id, 1, "x")).rejects.toMatchObject({ reason: "invalid_input" });
    await assertBooksBalance(tenant);
  });

  it("lets only a clawback go below zero, which then blocks spending until topped up", async () => {
    const tenant = await newTenant(10);
    const h = await hold(app.deps, call(tenant), 4, null);
    expect(await clawback(app.deps, call(tenant), 15, "dispute-1")).toMatchObject({ balance: -5, held: 4, available: -9 });
    await expect(debit(app.deps, call(tenant), 1, null)).rejects.toMatchObject({ reason: "payment_required", message: expect.stringContaining("blocked") });
    await expect(hold(app.deps, call(tenant), 1, null)).rejects.toMatchObject({ reason: "payment_required" });
    // Work already reserved may still be charged.
    expect(await settle(app.deps, call(tenant), h.holdId, 4)).toMatchObject({ balance: -9, held: 0 });
    // The database itself refuses any other path below the floor.
    await expect(sql`update credit_accounts set balance = balance - 1 where tenant_id = ${tenant}`.execute(app.deps.db)).rejects.toThrow(
      /credit_accounts_balance_floor/,
    );
    await purchase(app.deps, call(tenant), 5, "pi_1");
    await expect(debit(app.deps, call(tenant), 1, null)).rejects.toMatchObject({ reason: "payment_required" });
    await purchase(app.deps, call(tenant), 10, "pi_2");
    expect(await debit(app.deps, call(tenant), 1, null)).toMatchObject({ balance: 5 });
    await expect(sql`update credit_accounts set balance = -1 where tenant_id = ${tenant}`.execute(app.deps.db)).rejects.toThrow();
    await assertBooksBalance(tenant);
  });

  it("counts what moved, once per effect, in Prometheus", async () => {
    const tenant = await newTenant(0);
    const value = async (name: string, label: string) => {
      const metric = await app.deps.metrics.registry.getSingleMetric(name)!.get();
      return metric.values.find((v) => Object.values(v.labels).includes(label))?.value ?? 0;
    };
    const granted = await value("credits_granted_total", "grant");
    const spent = await value("credits_spent_total", "debit");
    const refused = await value("credits_refused_total", "insufficient");
    await grant(app.deps, call(tenant, "m-grant"), 7, "metrics");
    await grant(app.deps, call(tenant, "m-grant"), 7, "metrics");
    await debit(app.deps, call(tenant), 2, null);
    await debit(app.deps, call(tenant), 50, null).catch(() => {});
    expect(await value("credits_granted_total", "grant")).toBe(granted + 7);
    expect(await value("credits_spent_total", "debit")).toBe(spent + 2);
    expect(await value("credits_refused_total", "insufficient")).toBe(refused + 1);
  });

  it("keeps the ledger append-only and pages through it newest first", async () => {
    const tenant = await newTenant(0);
    for (let i = 1; i <= 5; i++) await grant(app.deps, call(tenant), i, `g${i}`);
    const first = await ledgerPage(app.deps.db, tenant, null, 2);
    expect(first.entries.map((e) => e.delta)).toEqual([5, 4]);
    expect(first.entries[0]).toMatchObject({ kind: "grant", balanceAfter: 15, reference: "g5", actor: { type: "system", id: null } });
    const second = await ledgerPage(app.deps.db, tenant, first.nextCursor, 2);
    expect(second.entries.map((e) => e.delta)).toEqual([3, 2]);
    const last = await ledgerPage(app.deps.db, tenant, second.nextCursor, 2);
    expect(last).toMatchObject({ entries: [{ delta: 1 }], nextCursor: null });
    await expect(sql`update credit_ledger set delta = 100 where tenant_id = ${tenant}`.execute(app.deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from credit_ledger where tenant_id = ${tenant}`.execute(app.deps.db)).rejects.toThrow(/append-only/);
  });
});
