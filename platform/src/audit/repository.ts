import type { Transaction } from "kysely";
import type { DB } from "../db/schema.ts";

export interface Actor {
  type: "user" | "api_key" | "operator" | "system";
  id: string | null;
  ip?: string | null;
}

export interface AuditEntry {
  tenantId: string | null;
  action: string;
  target?: { type: string; id: string };
  metadata?: Record<string, unknown>;
}

/** Written in the caller's transaction, so the record exists exactly when the change does. */
export async function insertAudit(trx: Transaction<DB>, actor: Actor, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto("audit_log")
    .values({
      tenant_id: entry.tenantId,
      actor_type: actor.type,
      actor_id: actor.id,
      action: entry.action,
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id ?? null,
      metadata: JSON.stringify(entry.metadata ?? {}),
      ip: actor.ip ?? null,
    })
    .execute();
}
