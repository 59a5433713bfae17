import type { Transaction } from "kysely";
import { insertAudit } from "../audit/repository.ts";
import type { DB } from "../db/schema.ts";

/** What every Stripe event's effect shares: who moves the money, the tally of it, and the audit line. */

export const system = { type: "system" as const, id: null };

/** Credits and clawbacks counted once their transaction commits. */
export interface Moved {
  granted: number;
  clawedBack: number;
}

/** An object's id, whether Stripe sent the id or the object expanded. */
export const idOf = (value: string | { id: string } | null | undefined): string | null => (typeof value === "string" ? value : (value?.id ?? null));

export function audit(trx: Transaction<DB>, tenantId: string, action: string, id: string, metadata: Record<string, unknown>) {
  return insertAudit(trx, system, { tenantId, action, target: { type: "stripe", id }, metadata });
}
