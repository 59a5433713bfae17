import type { Kysely, Transaction } from "kysely";
import type { DB } from "../db/schema.ts";

/** Who hears about a tenant's escalations, payments and disputes when no other address is set: its owners, the longest-standing first. */
export async function ownerEmails(db: Kysely<DB> | Transaction<DB>, tenantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select("users.email")
    .where("memberships.tenant_id", "=", tenantId)
    .where("memberships.role", "=", "owner")
    .orderBy("memberships.created_at")
    .execute();
  return rows.map((r) => r.email);
}
