import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../db/schema.ts";

type Db = Kysely<DB> | Transaction<DB>;

/**
 * A period of whole UTC days, `first` to `last` inclusive (YYYY-MM-DD), and the instants that bound it: rows are
 * counted when `start <= created_at < end`, and on the UTC day of their `created_at`.
 */
export interface Period {
  first: string;
  last: string;
  start: Date;
  end: Date;
}

// Aggregates come back as numbers, bigints as strings or numbers (pg or PGlite): the service reads all through Number().
type Num = string | number;

export interface DayRow {
  /** null on the row of the whole period (the rollup's). */
  date: string | null;
  credits_spent: Num;
  credits_added: Num;
  agent_runs: Num;
  trial_runs: Num;
  conversations: Num;
  model_cost_usd: Num;
}

const utcDay = (column: string) => sql.raw(`(${column} at time zone 'UTC')::date`);

/**
 * One row per day of the period, zero-filled, and a last row (date null) for the whole period, in one statement:
 * each source is grouped by day on its own, then joined to the series of days.
 * - credits spent: the ledger's debits (chat replies) and settled holds (agent runs); open holds are not spent yet,
 *   released or expired ones never were. Refunds and clawbacks are left out of both columns.
 * - credits added: grants and purchases.
 * - agent runs: every run created that day, whatever its state, workflow steps included; trial runs are those a
 *   visitor ran free.
 * - conversations: those started that day that hold a message or were escalated (an opened, unused chat is none).
 * - model cost: what the model calls of agent runs (on the run's day) and of chat replies (on the reply's day) cost.
 */
export async function dailyUsage(db: Db, tenantId: string, period: Period): Promise<DayRow[]> {
  const { start, end } = period;
  const result = await sql<DayRow>`
    with days as (
      select d::date as day from generate_series(${period.first}::date, ${period.last}::date, interval '1 day') as d
    ), ledger as (
      select ${utcDay("created_at")} as day,
        coalesce(-sum(delta) filter (where kind in ('debit', 'settle')), 0) as spent,
        coalesce(sum(delta) filter (where kind in ('grant', 'purchase')), 0) as added
      from credit_ledger
      where tenant_id = ${tenantId} and created_at >= ${start} and created_at < ${end}
      group by 1
    ), runs as (
      select ${utcDay("created_at")} as day, count(*) as runs, count(*) filter (where billing = 'trial') as trial_runs, sum(cost_usd) as cost
      from agent_runs
      where tenant_id = ${tenantId} and created_at >= ${start} and created_at < ${end}
      group by 1
    ), started as (
      select ${utcDay("created_at")} as day, count(*) as conversations
      from conversations
      where tenant_id = ${tenantId} and created_at >= ${start} and created_at < ${end} and (message_count > 0 or status = 'escalated')
      group by 1
    ), replies as (
      -- Reached through the tenant's conversations active in the period (messages have no index by tenant); an hour
      -- of margin covers a difference between the clocks that wrote updated_at and created_at.
      select ${utcDay("m.created_at")} as day, sum(m.cost_usd) as cost
      from conversations c join messages m on m.conversation_id = c.id
      where c.tenant_id = ${tenantId} and c.updated_at >= ${start}::timestamptz - interval '1 hour'
        and m.tenant_id = ${tenantId} and m.role = 'assistant' and m.created_at >= ${start} and m.created_at < ${end}
      group by 1
    )
    select
      to_char(days.day, 'YYYY-MM-DD') as date,
      coalesce(sum(ledger.spent), 0)::bigint as credits_spent,
      coalesce(sum(ledger.added), 0)::bigint as credits_added,
      coalesce(sum(runs.runs), 0)::bigint as agent_runs,
      coalesce(sum(runs.trial_runs), 0)::bigint as trial_runs,
      coalesce(sum(started.conversations), 0)::bigint as conversations,
      round(coalesce(sum(runs.cost), 0) + coalesce(sum(replies.cost), 0), 6)::float8 as model_cost_usd
    from days
    left join ledger on ledger.day = days.day
    left join runs on runs.day = days.day
    left join started on started.day = days.day
    left join replies on replies.day = days.day
    group by rollup (days.day)
    order by days.day nulls last`.execute(db);
  return result.rows;
}

export interface AgentRow {
  agent_id: string;
  runs: Num;
  succeeded: Num;
  failed: Num;
  trial_runs: Num;
  credits_spent: Num;
  model_cost_usd: Num;
}

/** Per agent, the runs created in the period: what they became, what they were charged, what their model calls cost. */
export async function agentUsage(db: Db, tenantId: string, period: Period): Promise<AgentRow[]> {
  const result = await sql<AgentRow>`
    select agent_id,
      count(*) as runs,
      count(*) filter (where status = 'succeeded') as succeeded,
      count(*) filter (where status = 'failed') as failed,
      count(*) filter (where billing = 'trial') as trial_runs,
      coalesce(sum(credits_charged), 0) as credits_spent,
      round(coalesce(sum(cost_usd), 0), 6)::float8 as model_cost_usd
    from agent_runs
    where tenant_id = ${tenantId} and created_at >= ${period.start} and created_at < ${period.end}
    group by agent_id
    order by count(*) desc, agent_id`.execute(db);
  return result.rows;
}

export interface OutcomeRow {
  total: Num;
  resolved: Num;
  escalated: Num;
}

/**
 * The conversations started in the period (as dailyUsage counts them) by outcome. Chat has no "closed" state: a
 * conversation is escalated when the visitor asked for a person (chat.handoff sets status 'escalated'), and
 * resolved when it was not, got at least one answer, and has been quiet since `quietSince` (the visitor left
 * without asking for anyone). The rest are still going on.
 */
export async function conversationOutcomes(db: Db, tenantId: string, period: Period, quietSince: Date): Promise<OutcomeRow> {
  const result = await sql<OutcomeRow>`
    select count(*) as total,
      count(*) filter (where c.status = 'escalated') as escalated,
      count(*) filter (
        where c.status = 'open' and c.updated_at <= ${quietSince}
          and exists (select 1 from messages m where m.conversation_id = c.id and m.role = 'assistant')
      ) as resolved
    from conversations c
    where c.tenant_id = ${tenantId} and c.created_at >= ${period.start} and c.created_at < ${period.end}
      and (c.message_count > 0 or c.status = 'escalated')`.execute(db);
  return result.rows[0]!;
}

export interface TrialRow {
  runs: Num;
  visitors: Num;
  exhausted: Num;
}

/**
 * Free runs in the period, the visitors who ran them, and the visitors whose last free run of some agent, taken in
 * the period, used up that agent's allowance (`allowances`, the tenant's current trial settings): the moment the
 * widget shows its call to action instead. A visitor is counted once however many agents they used up.
 */
export async function trialUsage(db: Db, tenantId: string, period: Period, allowances: Record<string, number>): Promise<TrialRow> {
  const result = await sql<TrialRow>`
    with runs as (
      select count(*) as runs, count(distinct visitor_hash) as visitors
      from agent_runs
      where tenant_id = ${tenantId} and billing = 'trial' and created_at >= ${period.start} and created_at < ${period.end}
    ), allowance as (
      select key as agent_id, value::int as runs from jsonb_each_text(${JSON.stringify(allowances)}::jsonb)
    ), exhausted as (
      select count(distinct u.visitor_hash) as exhausted
      from trial_usage u join allowance a on a.agent_id = u.agent_id
      where u.tenant_id = ${tenantId} and a.runs > 0 and u.used >= a.runs and u.last_used_at >= ${period.start} and u.last_used_at < ${period.end}
    )
    select runs.runs, runs.visitors, exhausted.exhausted from runs, exhausted`.execute(db);
  return result.rows[0]!;
}

/** Tenants that signed up in the period through the house widget's call to action (the platform's own funnel). */
export async function widgetTrialSignups(db: Db, period: Period): Promise<number> {
  const result = await sql<{ n: Num }>`
    select count(*) as n from tenants
    where signup_source = 'widget-trial' and created_at >= ${period.start} and created_at < ${period.end}`.execute(db);
  return Number(result.rows[0]!.n);
}

/** When the tenant was created: days before it are not part of its average spend. */
export async function tenantCreatedAt(db: Db, tenantId: string): Promise<Date | undefined> {
  return (await db.selectFrom("tenants").select("created_at").where("id", "=", tenantId).executeTakeFirst())?.created_at;
}
