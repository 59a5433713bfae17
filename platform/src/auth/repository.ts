import { sql, type Kysely, type Transaction } from "kysely";
import type { DB, Role, User } from "../db/schema.ts";

type Db = Kysely<DB> | Transaction<DB>;

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return db.selectFrom("users").selectAll().where(sql`lower(email)`, "=", email.toLowerCase()).executeTakeFirst();
}

export async function insertUser(trx: Transaction<DB>, user: Pick<User, "id" | "email" | "password_hash">): Promise<User> {
  return trx.insertInto("users").values(user).returningAll().executeTakeFirstOrThrow();
}

export async function insertMembership(trx: Transaction<DB>, tenantId: string, userId: string, role: Role): Promise<void> {
  await trx.insertInto("memberships").values({ tenant_id: tenantId, user_id: userId, role }).execute();
}

export interface MembershipView {
  tenantId: string;
  tenantName: string;
  role: Role;
}

/** The user's tenants, oldest membership first: the first is the default tenant. */
export async function listMemberships(db: Db, userId: string): Promise<MembershipView[]> {
  const rows = await db
    .selectFrom("memberships")
    .innerJoin("tenants", "tenants.id", "memberships.tenant_id")
    .select(["memberships.tenant_id", "tenants.name", "memberships.role"])
    .where("memberships.user_id", "=", userId)
    .orderBy("memberships.created_at")
    .orderBy("memberships.tenant_id")
    .execute();
  return rows.map((r) => ({ tenantId: r.tenant_id, tenantName: r.name, role: r.role }));
}
