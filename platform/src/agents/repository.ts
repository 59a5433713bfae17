import { type ExpressionBuilder, type Insertable, type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { AgentRunsTable, DB } from "../db/schema.ts";
import type { TokenUsage } from "../llm/models.ts";

type Db = Kysely<DB> | Transaction<DB>;

export type RunRow = Selectable<AgentRunsTable>;
export type NewRun = Insertable<AgentRunsTable>;

/** Inserts a run unless its idempotency key is taken; undefined then (the caller reads the run that holds it). */
export async function insertRun(db: Db, run: NewRun): Promise<RunRow | undefined> {
  return db
    .insertInto("agent_runs")
    .values(run)
    .onConflict((oc) => oc.columns(["tenant_id", "idempotency_key"]).where("idempotency_key", "is not", null).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function setHold(trx: Transaction<DB>, runId: string, holdId: string): Promise<void> {
  await trx.updateTable("agent_runs").set({ hold_id: holdId }).where("id", "=", runId).execute();
}

/** A run of the tenant, or undefined: the tenant is always part of the lookup. */
export async function findRun(db: Db, tenantId: string, id: string): Promise<RunRow | undefined> {
  return db.selectFrom("agent_runs").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
}

/** Any tenant's run: for the worker, which gets bare run ids from the queue. */
export async function findRunById(db: Db, id: string): Promise<RunRow | undefined> {
  return db.selectFrom("agent_runs").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findRunByKey(db: Db, tenantId: string, idempotencyKey: string): Promise<RunRow | undefined> {
  return db.selectFrom("agent_runs").selectAll().where("tenant_id", "=", tenantId).where("idempotency_key", "=", idempotencyKey).executeTakeFirst();
}

/** The newest fresh answer to the same request, for the response cache: a cache hit is never itself a source. */
export async function findCachedAnswer(db: Db, tenantId: string, agentId: string, cacheKey: string, since: Date): Promise<RunRow | undefined> {
  return db
    .selectFrom("agent_runs")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("agent_id", "=", agentId)
    .where("cache_key", "=", cacheKey)
    .where("status", "=", "succeeded")
    .where("cached", "=", false)
    .where("finished_at", ">", since)
    .orderBy("finished_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

export interface RunPage {
  tenantId: string;
  agentId?: string | undefined;
  /** Only this widget visitor's runs. */
  visitorHash?: string | undefined;
  /** The last run of the previous page: `created_at` and `id`. */
  after?: { createdAt: Date; id: string } | undefined;
  limit: number;
}

/** Newest first; the top-level runs only (a workflow's steps are read through the workflow). */
export async function listRuns(db: Db, page: RunPage): Promise<RunRow[]> {
  let query = db.selectFrom("agent_runs").selectAll().where("tenant_id", "=", page.tenantId).where("parent_run_id", "is", null);
  if (page.agentId) query = query.where("agent_id", "=", page.agentId);
  if (page.visitorHash) query = query.where("visitor_hash", "=", page.visitorHash);
  if (page.after) {
    const { createdAt, id } = page.after;
    query = query.where((eb) => eb.or([eb("created_at", "<", createdAt), eb.and([eb("created_at", "=", createdAt), eb("id", "<", id)])]));
  }
  return query.orderBy("created_at", "desc").orderBy("id", "desc").limit(page.limit).execute();
}

export async function childRun(db: Db, parentRunId: string, stepIndex: number): Promise<RunRow | undefined> {
  return db.selectFrom("agent_runs").selectAll().where("parent_run_id", "=", parentRunId).where("step_index", "=", stepIndex).executeTakeFirst();
}

/**
 * Takes a run for one attempt: a queued run, or a running one whose worker's lease has run out (the worker died).
 * Undefined when another worker holds it or it has finished: the caller then does nothing.
 */
export async function claimRun(db: Db, id: string, leaseSeconds: number): Promise<RunRow | undefined> {
  return db
    .updateTable("agent_runs")
    .set({
      status: "running",
      // The steps shown are this attempt's.
      steps: sql`'[]'::jsonb`,
      attempts: sql`attempts + 1`,
      lease_until: sql`now() + ${leaseSeconds} * interval '1 second'`,
      started_at: sql`coalesce(started_at, now())`,
    })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("status", "=", "queued"), eb.and([eb("status", "=", "running"), eb("lease_until", "<", sql<Date>`now()`)])]))
    .returningAll()
    .executeTakeFirst();
}

export interface Spent {
  model: string | null;
  calls: number;
  usage: TokenUsage;
}

/** What an attempt adds to the run's model usage. Dollars are not here: they are written as each call is made (addCost). */
const spentColumns = (spent: Spent) => ({
  model: spent.model ?? sql<string | null>`model`,
  model_calls: sql<number>`model_calls + ${spent.calls}`,
  input_tokens: sql<number>`input_tokens + ${spent.usage.inputTokens}`,
  output_tokens: sql<number>`output_tokens + ${spent.usage.outputTokens}`,
  cache_write_tokens: sql<number>`cache_write_tokens + ${spent.usage.cacheWriteTokens}`,
  cache_read_tokens: sql<number>`cache_read_tokens + ${spent.usage.cacheReadTokens}`,
});

/**
 * Adds to (or, to correct a reservation, takes from) a run's model dollars, at once: a call's worst case is written
 * before the call, so that an attempt killed mid-call still counts against the run's cap.
 */
export async function addCost(db: Db, id: string, usd: number): Promise<void> {
  await db
    .updateTable("agent_runs")
    .set({ cost_usd: sql<string>`cost_usd + ${usd.toFixed(6)}::numeric` })
    .where("id", "=", id)
    .execute();
}

/** Adds a step the running attempt has named. */
export async function appendStep(db: Db, id: string, name: string): Promise<void> {
  await db
    .updateTable("agent_runs")
    .set({ steps: sql`steps || jsonb_build_array(${name}::text)` })
    .where("id", "=", id)
    .execute();
}

/** Saves what an agent made part way, under `name`, for the run's later attempts. */
export async function saveCheckpoint(db: Db, id: string, name: string, value: unknown): Promise<void> {
  await db
    .updateTable("agent_runs")
    .set({ checkpoint: sql`checkpoint || jsonb_build_object(${name}::text, ${JSON.stringify(value)}::jsonb)` })
    .where("id", "=", id)
    .execute();
}

/** Only the attempt that claimed the run may end it: a worker whose lease was taken over changes nothing. */
const ownAttempt = (id: string, attempt: number) => (eb: ExpressionBuilder<DB, "agent_runs">) =>
  eb.and([eb("id", "=", id), eb("status", "=", "running"), eb("attempts", "=", attempt)]);

export async function finishRun(
  trx: Transaction<DB>,
  id: string,
  attempt: number,
  end: { status: "succeeded" | "failed"; output: unknown; error: { code: string; message: string } | null; creditsCharged: number; spent: Spent },
): Promise<RunRow | undefined> {
  return trx
    .updateTable("agent_runs")
    .set({
      ...spentColumns(end.spent),
      status: end.status,
      output: end.output === undefined ? null : JSON.stringify(end.output),
      error: end.error ? JSON.stringify(end.error) : null,
      credits_charged: end.creditsCharged,
      lease_until: null,
      finished_at: sql`now()`,
      duration_ms: sql`(extract(epoch from now() - started_at) * 1000)::int`,
    })
    .where(ownAttempt(id, attempt))
    .returningAll()
    .executeTakeFirst();
}

/** Puts an attempt that failed for a passing reason back in the queue, keeping what it spent and why it failed. */
export async function requeueRun(db: Db, id: string, attempt: number, error: { code: string; message: string }, spent: Spent): Promise<boolean> {
  const result = await db
    .updateTable("agent_runs")
    .set({ ...spentColumns(spent), status: "queued", lease_until: null, error: JSON.stringify(error) })
    .where(ownAttempt(id, attempt))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends a run that never started (its queue too busy for too long), unless a worker took it meanwhile. */
export async function abandonRun(trx: Transaction<DB>, id: string, error: { code: string; message: string }): Promise<RunRow | undefined> {
  return trx
    .updateTable("agent_runs")
    .set({ status: "failed", error: JSON.stringify(error), lease_until: null, finished_at: sql`now()` })
    .where("id", "=", id)
    .where("status", "=", "queued")
    .returningAll()
    .executeTakeFirst();
}

/** Runs whose work may be lost: queued a while without a worker taking them, or running past their lease. */
export async function strandedRuns(db: Db, queuedBefore: Date, limit: number): Promise<Array<Pick<RunRow, "id" | "status" | "created_at" | "attempts">>> {
  return db
    .selectFrom("agent_runs")
    .select(["id", "status", "created_at", "attempts"])
    .where("status", "in", ["queued", "running"])
    .where((eb) => eb.or([eb.and([eb("status", "=", "queued"), eb("created_at", "<", queuedBefore)]), eb("lease_until", "<", sql<Date>`now()`)]))
    .orderBy("created_at")
    .limit(limit)
    .execute();
}
