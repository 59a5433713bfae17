import { sql, type Kysely } from "kysely";
import type { AuditLogTable, DB } from "../db/schema.ts";

export interface AuditEntryView {
  /** Increases with every entry; pages are keyed on it. */
  id: string;
  actorType: AuditLogTable["actor_type"];
  actorId: string | null;
  /** The user's e-mail when the actor is a user (and still has an account); null otherwise. */
  actorEmail: string | null;
  action: string;
  target: { type: string; id: string } | null;
  metadata: Record<string, unknown>;
  ip: string | null;
  createdAt: string;
}

export interface AuditQuery {
  action?: string | undefined;
  actorId?: string | undefined;
  /** The id of the last entry of the previous page: this page starts below it. */
  before?: string | undefined;
  limit: number;
}

/** The tenant's audit entries, newest first, a page at a time; `next` is the id to continue below, or null at the end. */
export async function auditPage(db: Kysely<DB>, tenantId: string, query: AuditQuery): Promise<{ entries: AuditEntryView[]; next: string | null }> {
  let select = db
    .selectFrom("audit_log as a")
    .leftJoin("users as u", (join) => join.onRef("u.id", "=", "a.actor_id").on("a.actor_type", "=", "user"))
    .select(["a.id", "a.actor_type", "a.actor_id", "u.email", "a.action", "a.target_type", "a.target_id", "a.metadata", "a.ip", "a.created_at"])
    .where("a.tenant_id", "=", tenantId);
  if (query.action) select = select.where("a.action", "=", query.action);
  if (query.actorId) select = select.where("a.actor_id", "=", query.actorId);
  if (query.before) select = select.where("a.id", "<", query.before);
  const rows = await select
    .orderBy("a.id", "desc")
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  return {
    entries: page.map((r) => ({
      id: String(r.id),
      actorType: r.actor_type,
      actorId: r.actor_id,
      actorEmail: r.email,
      action: r.action,
      target: r.target_type && r.target_id ? { type: r.target_type, id: r.target_id } : null,
      metadata: r.metadata,
      ip: r.ip,
      createdAt: r.created_at.toISOString(),
    })),
    next: rows.length > query.limit ? String(page.at(-1)!.id) : null,
  };
}

/**
 * The distinct actions in the tenant's log, in order. A skip scan over the (tenant_id, action, id) index: one index
 * probe per distinct action, however long the log.
 */
export async function auditActions(db: Kysely<DB>, tenantId: string): Promise<string[]> {
  const result = await sql<{ action: string }>`
    with recursive actions (action) as (
      (select action from audit_log where tenant_id = ${tenantId} order by action limit 1)
      union all
      select (select a.action from audit_log a where a.tenant_id = ${tenantId} and a.action > actions.action order by a.action limit 1)
      from actions where actions.action is not null
    )
    select action from actions where action is not null`.execute(db);
  return result.rows.map((r) => r.action);
}
