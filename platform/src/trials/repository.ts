import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../db/schema.ts";

/** One more run for this visitor if under `limit`, atomically: the row's update re-checks under its lock. */
export async function takeVisitorRun(trx: Transaction<DB>, tenantId: string, agentId: string, visitorHash: string, limit: number): Promise<number | null> {
  const result = await sql<{ used: number }>`
    insert into trial_usage (tenant_id, agent_id, visitor_hash, used) values (${tenantId}, ${agentId}, ${visitorHash}, 1)
    on conflict (tenant_id, agent_id, visitor_hash) do update set used = trial_usage.used + 1, last_used_at = now()
    where trial_usage.used < ${limit}
    returning used`.execute(trx);
  return result.rows[0]?.used ?? null;
}

/** One more run for this network today if under `cap`. */
export async function takeNetworkRun(trx: Transaction<DB>, tenantId: string, networkHash: string, cap: number): Promise<number | null> {
  const result = await sql<{ used: number }>`
    insert into trial_network_usage (tenant_id, network_hash, day, used) values (${tenantId}, ${networkHash}, current_date, 1)
    on conflict (tenant_id, network_hash, day) do update set used = trial_network_usage.used + 1
    where trial_network_usage.used < ${cap}
    returning used`.execute(trx);
  return result.rows[0]?.used ?? null;
}

export async function visitorRunsUsed(db: Kysely<DB>, tenantId: string, agentId: string, visitorHash: string): Promise<number> {
  const row = await db
    .selectFrom("trial_usage")
    .select("used")
    .where("tenant_id", "=", tenantId)
    .where("agent_id", "=", agentId)
    .where("visitor_hash", "=", visitorHash)
    .executeTakeFirst();
  return row?.used ?? 0;
}

/** Gives a free run back (a run that failed): the visitor may try again. */
export async function returnVisitorRun(db: Kysely<DB> | Transaction<DB>, tenantId: string, agentId: string, visitorHash: string): Promise<void> {
  await sql`
    update trial_usage set used = used - 1
    where tenant_id = ${tenantId} and agent_id = ${agentId} and visitor_hash = ${visitorHash} and used > 0`.execute(db);
}
