/**
 * Credits benchmark (`npm run bench` in platform/, after keys):
 *  1. Debits per second against one hot tenant (every debit locks the same account row). Target >= 1,000/s.
 *  2. Debits per second spread over 100 tenants.
 * Reference, same run, same pool, same table: a bare `UPDATE credit_accounts SET balance = balance - 1` loop, which
 * is the floor of one conditional update without the ledger entry and the idempotency record.
 * Knobs (env): BENCH_SECONDS (5), BENCH_CONCURRENCY (16).
 */
import { sql } from "kysely";
import { debit, grant } from "../../src/credits/service.ts";
import { newId } from "../../src/lib/ids.ts";
import { buildDeps, closeDeps } from "../../src/main.ts";
import { insertTenant } from "../../src/tenants/repository.ts";
import { testEnv } from "../../test/harness.ts";
import { fmt, machineLine, runConcurrent, table, verdict, type ConcurrentResult } from "../lib.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const system = { type: "system" as const, id: null };

const deps = await buildDeps(testEnv({ LOG_LEVEL: "silent" }));
try {
  console.log(`Credits benchmark — ${new Date().toISOString()}`);
  console.log(`mode: ${deps.database.kind === "postgres" ? "Postgres (DATABASE_URL)" : "embedded PGlite (one connection: no concurrency)"}`);
  console.log(`machine: ${machineLine()}; ${CONCURRENCY} concurrent callers, 1 s warm-up + ${SECONDS} s per run\n`);

  // Tenants for the debits, and others for the reference, whose bare updates bypass the ledger on purpose.
  const makeTenants = (n: number, label: string) =>
    deps.db.transaction().execute(async (trx) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) ids.push((await insertTenant(trx, { id: newId("tenant"), name: `${label} ${i}` })).id);
      return ids;
    });
  const [hot, ...spread] = await makeTenants(101, "Bench");
  const [refHotRow, ...refRows] = await makeTenants(101, "Reference");
  for (const tenantId of [hot!, ...spread]) await grant(deps, { tenantId, idempotencyKey: "funds", actor: system }, 50_000_000, "bench funds");
  await sql`update credit_accounts set balance = 50000000 where tenant_id = any(${[refHotRow!, ...refRows]})`.execute(deps.db);
  const run = `${Date.now()}`;
  const load = (op: (n: number) => Promise<unknown>) => runConcurrent(op, { concurrency: CONCURRENCY, durationMs: SECONDS * 1000, warmupMs: 1000 });
  const bare = (tenantId: () => string) => load(() => sql`update credit_accounts set balance = balance - 1 where tenant_id = ${tenantId()}`.execute(deps.db));
  const debits = (label: string, tenantId: () => string) =>
    load((n) => debit(deps, { tenantId: tenantId(), idempotencyKey: `${run}-${label}-${n}`, actor: system }, 1, null));
  const pick = (rows: string[]) => () => rows[Math.floor(Math.random() * rows.length)]!;

  const results: Array<[string, ConcurrentResult]> = [
    ["reference: bare UPDATE, hot row", await bare(() => refHotRow!)],
    ["debit, hot tenant", await debits("hot", () => hot!)],
    ["reference: bare UPDATE, 100 rows", await bare(pick(refRows))],
    ["debit, 100 tenants", await debits("spread", pick(spread))],
  ];
  console.log(
    table(
      ["run", "ops/s", "p50 µs", "p99 µs", "errors"],
      results.map(([name, r]) => [name, fmt(r.perSecond, 0), fmt(r.latency.p50, 0), fmt(r.latency.p99, 0), String(r.errors)]),
    ),
  );
  const [refHot, hotRun, refSpread, spreadRun] = results.map(([, r]) => r) as [ConcurrentResult, ConcurrentResult, ConcurrentResult, ConcurrentResult];
  console.log(`\nhot tenant: ${fmt(hotRun.perSecond, 0)} debits/s = ${fmt((hotRun.perSecond / refHot.perSecond) * 100)}% of the bare UPDATE`);
  console.log(`100 tenants: ${fmt(spreadRun.perSecond, 0)} debits/s = ${fmt((spreadRun.perSecond / refSpread.perSecond) * 100)}% of the bare UPDATE`);
  console.log(`target >= 1,000 debits/s on the hot tenant: ${verdict(hotRun.perSecond >= 1000)}`);

  // The books still balance after the load: every debit has its ledger entry.
  const unbalanced = await sql<{ n: number }>`
    select count(*)::int as n from credit_accounts a
    where a.tenant_id = any(${[hot!, ...spread]})
      and a.balance <> (select coalesce(sum(delta), 0) from credit_ledger l where l.tenant_id = a.tenant_id)`.execute(deps.db);
  console.log(`books balance after the load (sum(ledger) = balance on all 101 tenants): ${verdict(unbalanced.rows[0]!.n === 0)}`);
} finally {
  await closeDeps(deps);
}
