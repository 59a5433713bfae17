import { sql, type Kysely, type Transaction } from "kysely";
import type { DB, Invitation, Role } from "../db/schema.ts";

type Db = Kysely<DB> | Transaction<DB>;

export interface MemberRow {
  user_id: string;
  email: string;
  role: Role;
  created_at: Date;
}

/** The tenant's people, earliest first. */
export async function listMemberRows(db: Db, tenantId: string): Promise<MemberRow[]> {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["memberships.user_id", "users.email", "memberships.role", "memberships.created_at"])
    .where("memberships.tenant_id", "=", tenantId)
    .orderBy("memberships.created_at")
    .orderBy("memberships.user_id")
    .execute();
}

export async function findMember(db: Db, tenantId: string, userId: string): Promise<MemberRow | undefined> {
  return db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select(["memberships.user_id", "users.email", "memberships.role", "memberships.created_at"])
    .where("memberships.tenant_id", "=", tenantId)
    .where("memberships.user_id", "=", userId)
    .executeTakeFirst();
}

export async function isMemberByEmail(db: Db, tenantId: string, email: string): Promise<boolean> {
  const row = await db
    .selectFrom("memberships")
    .innerJoin("users", "users.id", "memberships.user_id")
    .select("memberships.user_id")
    .where("memberships.tenant_id", "=", tenantId)
    .where(sql`lower(users.email)`, "=", email.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Locks the tenant's owner memberships until the transaction ends and answers their user ids. Every change that
 * could take an owner away takes this lock first, so two of them in parallel are decided one after the other, and
 * the second sees what the first left: the last owner cannot be demoted or removed, however the calls interleave.
 */
export async function lockOwners(trx: Transaction<DB>, tenantId: string): Promise<string[]> {
  const owners = trx.selectFrom("memberships").select("user_id").where("tenant_id", "=", tenantId).where("role", "=", "owner").orderBy("user_id").forUpdate();
  // The first statement waits for whoever holds the locks, but reads the owners as they were when it began; once the
  // locks are ours, a second look also sees owners promoted meanwhile (read committed takes a new snapshot).
  await owners.execute();
  return (await owners.execute()).map((r) => r.user_id);
}

export async function updateRole(trx: Transaction<DB>, tenantId: string, userId: string, role: Role): Promise<boolean> {
  const result = await trx.updateTable("memberships").set({ role }).where("tenant_id", "=", tenantId).where("user_id", "=", userId).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteMembership(trx: Transaction<DB>, tenantId: string, userId: string): Promise<boolean> {
  const result = await trx.deleteFrom("memberships").where("tenant_id", "=", tenantId).where("user_id", "=", userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Adds the membership unless the user already has one in the tenant; true when it was added. */
export async function addMembership(trx: Transaction<DB>, tenantId: string, userId: string, role: Role): Promise<boolean> {
  const rows = await trx
    .insertInto("memberships")
    .values({ tenant_id: tenantId, user_id: userId, role })
    .onConflict((oc) => oc.columns(["tenant_id", "user_id"]).doNothing())
    .returning("user_id")
    .execute();
  return rows.length > 0;
}

export interface InvitationRow extends Invitation {
  invited_by_email: string | null;
}

/** Invitations neither accepted nor revoked (expired ones included, so they can be sent again), newest first. */
export async function listOpenInvitations(db: Db, tenantId: string): Promise<InvitationRow[]> {
  return db
    .selectFrom("invitations")
    .leftJoin("users", "users.id", "invitations.invited_by")
    .selectAll("invitations")
    .select("users.email as invited_by_email")
    .where("invitations.tenant_id", "=", tenantId)
    .where("invitations.accepted_at", "is", null)
    .where("invitations.revoked_at", "is", null)
    .orderBy("invitations.created_at", "desc")
    .orderBy("invitations.id")
    .execute();
}

export async function findInvitation(db: Db, tenantId: string, id: string): Promise<InvitationRow | undefined> {
  return db
    .selectFrom("invitations")
    .leftJoin("users", "users.id", "invitations.invited_by")
    .selectAll("invitations")
    .select("users.email as invited_by_email")
    .where("invitations.tenant_id", "=", tenantId)
    .where("invitations.id", "=", id)
    .executeTakeFirst();
}

export interface InvitationWithTenant extends Invitation {
  tenant_name: string;
}

export async function findInvitationByHash(db: Db, tokenHash: string): Promise<InvitationWithTenant | undefined> {
  return db
    .selectFrom("invitations")
    .innerJoin("tenants", "tenants.id", "invitations.tenant_id")
    .selectAll("invitations")
    .select("tenants.name as tenant_name")
    .where("invitations.token_hash", "=", tokenHash)
    .executeTakeFirst();
}

export type NewInvitationRow = Pick<Invitation, "id" | "tenant_id" | "email" | "role" | "token_hash" | "invited_by" | "expires_at">;

export async function insertInvitation(trx: Transaction<DB>, row: NewInvitationRow): Promise<Invitation> {
  return trx.insertInto("invitations").values(row).returningAll().executeTakeFirstOrThrow();
}

/** Revokes the open invitations of one address (the one being replaced); answers their ids. */
export async function revokeOpenInvitationsTo(trx: Transaction<DB>, tenantId: string, email: string): Promise<string[]> {
  const rows = await trx
    .updateTable("invitations")
    .set({ revoked_at: sql`now()` })
    .where("tenant_id", "=", tenantId)
    .where("email", "=", email)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

/** Revokes one open invitation; nothing when it was already accepted or revoked. */
export async function markInvitationRevoked(trx: Transaction<DB>, id: string): Promise<Invitation | undefined> {
  return trx
    .updateTable("invitations")
    .set({ revoked_at: sql`now()` })
    .where("id", "=", id)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Takes an invitation for use: only one caller ever gets the row back, however many race for it, because the
 * update re-checks `accepted_at is null` on the row it waited for.
 */
export async function claimInvitation(trx: Transaction<DB>, id: string): Promise<Invitation | undefined> {
  return trx
    .updateTable("invitations")
    .set({ accepted_at: sql`now()` })
    .where("id", "=", id)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", sql<Date>`now()`)
    .returningAll()
    .executeTakeFirst();
}
