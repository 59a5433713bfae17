import type { Kysely, Transaction } from "kysely";
import { insertAudit, type Actor } from "../audit/repository.ts";
import { isUniqueViolation } from "../db/errors.ts";
import type { DB, Invitation, InvitedRole, Role } from "../db/schema.ts";
import { portalUrlOf, type Env } from "../env.ts";
import { conflict, DomainError, forbidden, notFound } from "../errors.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { newId } from "../lib/ids.ts";
import { enqueueNotification } from "../notifications/outbox.ts";
import { findTenant } from "../tenants/repository.ts";
import {
  addMembership,
  claimInvitation,
  deleteMembership,
  findInvitation,
  findInvitationByHash,
  findMember,
  insertInvitation,
  isMemberByEmail,
  listMemberRows,
  listOpenInvitations,
  lockOwners,
  markInvitationRevoked,
  revokeOpenInvitationsTo,
  updateRole,
  type InvitationWithTenant,
  type MemberRow,
} from "./repository.ts";

export interface TeamDeps {
  db: Kysely<DB>;
  env: Pick<Env, "PORTAL_URL" | "PUBLIC_URL">;
}

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** 20 random bytes (160 bits), lowercase base32: 32 characters, as session tokens. */
export const INVITATION_TOKEN_PATTERN = /^[a-z2-7]{32}$/;

export interface MemberView {
  userId: string;
  email: string;
  role: Role;
  joinedAt: string;
}

/** An invitation as the team sees it: never its token. */
export interface InvitationView {
  id: string;
  email: string;
  role: InvitedRole;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
  /** Past its 7 days: it can no longer be used, and inviting the address again replaces it. */
  expired: boolean;
}

/** What the link shows before anyone signs in. */
export interface InvitationPreview {
  tenantName: string;
  email: string;
  role: InvitedRole;
  invitedBy: string | null;
  expiresAt: string;
}

function viewMember(row: MemberRow): MemberView {
  return { userId: row.user_id, email: row.email, role: row.role, joinedAt: row.created_at.toISOString() };
}

function viewInvitation(row: Invitation, invitedBy: string | null, now = Date.now()): InvitationView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    invitedBy,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    expired: row.expires_at.getTime() <= now,
  };
}

/** The tenant's members and its open invitations. */
export async function listTeam(db: Kysely<DB>, tenantId: string): Promise<{ members: MemberView[]; invitations: InvitationView[] }> {
  const [members, invitations] = await Promise.all([listMemberRows(db, tenantId), listOpenInvitations(db, tenantId)]);
  return { members: members.map(viewMember), invitations: invitations.map((row) => viewInvitation(row, row.invited_by_email)) };
}

/**
 * Invites an address to the tenant with a role (never owner: owners are made by changing a role). Inviting it again
 * replaces the open invitation, whose link stops working. The e-mail with the link is queued in the same transaction.
 */
export async function invite(deps: TeamDeps, actor: Actor, tenantId: string, input: { email: string; role: InvitedRole }): Promise<InvitationView> {
  const email = input.email.trim().toLowerCase();
  const token = randomToken(20);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      if (await isMemberByEmail(trx, tenantId, email)) throw conflict(`${email} is already a member of this team`);
      const tenant = await findTenant(trx, tenantId);
      if (!tenant) throw notFound("Tenant");
      const inviter = actor.type === "user" && actor.id ? await findMember(trx, tenantId, actor.id) : undefined;
      const replaced = await revokeOpenInvitationsTo(trx, tenantId, email);
      const row = await insertInvitation(trx, {
        id: newId("invitation"),
        tenant_id: tenantId,
        email,
        role: input.role,
        token_hash: sha256Hex(token),
        invited_by: inviter?.user_id ?? null,
        expires_at: new Date(Date.now() + INVITATION_LIFETIME_MS),
      });
      await enqueueNotification(trx, {
        tenantId,
        kind: "team.invitation",
        channel: "email",
        target: email,
        payload: invitationEmail(portalUrlOf(deps.env), token, { tenantName: tenant.name, role: row.role, inviter: inviter?.email, expiresAt: row.expires_at }),
      });
      await insertAudit(trx, actor, {
        tenantId,
        action: "invitation.created",
        target: { type: "invitation", id: row.id },
        metadata: { email, role: row.role, ...(replaced.length ? { replaced } : {}) },
      });
      return viewInvitation(row, inviter?.email ?? null);
    });
  } catch (error) {
    // Two invitations of one address racing: the open-invitation index keeps one, the other caller is told.
    if (isUniqueViolation(error)) throw conflict(`An invitation to ${email} was just sent; reload the team to see it`);
    throw error;
  }
}

function invitationEmail(portal: string, token: string, about: { tenantName: string; role: InvitedRole; inviter: string | undefined; expiresAt: Date }) {
  // The tenant's name is its owners' text: kept to one line, so it cannot shape the message's headers.
  const tenantName = about.tenantName.replace(/[\r\n\t]+/g, " ");
  return {
    subject: `You are invited to join ${tenantName} on BizBot`,
    text: [
      `${about.inviter ?? "The team"} invited you to join ${tenantName} on BizBot as ${about.role === "admin" ? "an admin" : "a member"}.`,
      `New to BizBot? Create your account: ${portal}/signup?invite=${token}`,
      `Already have an account? Sign in to accept: ${portal}/login?invite=${token}`,
      `The invitation works once, for this address, until ${about.expiresAt.toUTCString()}. If you did not expect it, ignore this e-mail.`,
    ].join("\n\n"),
  };
}

/** Withdraws an open invitation: its link stops working. Revoking twice answers the same. */
export async function revokeInvitation(db: Kysely<DB>, actor: Actor, tenantId: string, id: string): Promise<InvitationView & { revokedAt: string }> {
  return db.transaction().execute(async (trx) => {
    const invitation = await findInvitation(trx, tenantId, id);
    if (!invitation) throw notFound("Invitation");
    const revoked = await markInvitationRevoked(trx, invitation.id);
    if (revoked) {
      await insertAudit(trx, actor, {
        tenantId,
        action: "invitation.revoked",
        target: { type: "invitation", id: invitation.id },
        metadata: { email: invitation.email },
      });
    }
    // Not revoked now: it already was, or it has been accepted (perhaps a moment ago); the row as it is says which.
    const row = revoked ?? (await findInvitation(trx, tenantId, id)) ?? invitation;
    if (!row.revoked_at) throw conflict("This invitation has already been accepted; remove the member instead");
    return { ...viewInvitation(row, invitation.invited_by_email), revokedAt: row.revoked_at.toISOString() };
  });
}

/** Owners only, checked again under the lock: an owner demoted a moment ago can no longer change anything. */
function assertOwner(owners: string[], actor: Actor, message: string) {
  if (!actor.id || !owners.includes(actor.id)) throw forbidden(message);
}

const lastOwner = (self: boolean, what: "demote" | "remove") =>
  conflict(
    self
      ? `You are the team's last owner; make someone else owner before you ${what === "demote" ? "give up the role" : "leave"}`
      : `This is the team's last owner; make someone else owner first`,
  );

/** Sets a member's role. The team always keeps an owner, also when owners change each other's roles at once. */
export async function changeRole(db: Kysely<DB>, actor: Actor, tenantId: string, userId: string, role: Role): Promise<MemberView> {
  return db.transaction().execute(async (trx) => {
    const owners = await lockOwners(trx, tenantId);
    assertOwner(owners, actor, "Only an owner can change roles");
    const member = await findMember(trx, tenantId, userId);
    if (!member) throw notFound("Member");
    if (member.role === role) return viewMember(member);
    if (member.role === "owner" && owners.length === 1) throw lastOwner(userId === actor.id, "demote");
    if (!(await updateRole(trx, tenantId, userId, role))) throw notFound("Member");
    await insertAudit(trx, actor, {
      tenantId,
      action: "member.role_changed",
      target: { type: "user", id: userId },
      metadata: { email: member.email, from: member.role, to: role },
    });
    return viewMember({ ...member, role });
  });
}

/** An owner removes someone, or anyone leaves; never the last owner. */
export async function removeMember(db: Kysely<DB>, actor: Actor, tenantId: string, userId: string): Promise<{ userId: string; removed: true }> {
  const self = actor.id === userId;
  return db.transaction().execute(async (trx) => {
    const owners = await lockOwners(trx, tenantId);
    if (!self) assertOwner(owners, actor, "Only an owner can remove other members; anyone can leave the team");
    const member = await findMember(trx, tenantId, userId);
    if (!member) throw notFound("Member");
    if (member.role === "owner" && owners.length === 1) throw lastOwner(self, "remove");
    if (!(await deleteMembership(trx, tenantId, userId))) throw notFound("Member");
    await insertAudit(trx, actor, {
      tenantId,
      action: self ? "member.left" : "member.removed",
      target: { type: "user", id: userId },
      metadata: { email: member.email, role: member.role },
    });
    return { userId, removed: true as const };
  });
}

/** Whatever makes an invitation unusable, as the error its holder sees; null while it can be used. */
function unusable(invitation: Invitation, now = Date.now()): DomainError | null {
  if (invitation.accepted_at) return new DomainError("not_found", "This invitation has already been used; sign in to reach the team");
  if (invitation.revoked_at) return new DomainError("not_found", "This invitation was withdrawn; ask the team's owner for a new one");
  if (invitation.expires_at.getTime() <= now) {
    return new DomainError("not_found", `This invitation expired on ${invitation.expires_at.toUTCString()}; ask the team's owner for a new one`);
  }
  return null;
}

const unknownInvitation = () => new DomainError("not_found", "Invitation not found: check the link, or ask the team's owner for a new one");

async function usableInvitation(db: Kysely<DB> | Transaction<DB>, token: string): Promise<InvitationWithTenant> {
  const invitation = INVITATION_TOKEN_PATTERN.test(token) ? await findInvitationByHash(db, sha256Hex(token)) : undefined;
  if (!invitation) throw unknownInvitation();
  const problem = unusable(invitation);
  if (problem) throw problem;
  return invitation;
}

/** What an invitation link is for, shown to anyone holding it: the tenant, the address and the role. */
export async function invitationPreview(db: Kysely<DB>, token: string): Promise<InvitationPreview> {
  const invitation = await usableInvitation(db, token);
  const inviter = invitation.invited_by ? await findMember(db, invitation.tenant_id, invitation.invited_by) : undefined;
  return {
    tenantName: invitation.tenant_name,
    email: invitation.email,
    role: invitation.role,
    invitedBy: inviter?.email ?? null,
    expiresAt: invitation.expires_at.toISOString(),
  };
}

export interface Joined {
  tenant: { id: string; name: string };
  role: InvitedRole;
}

/**
 * Uses an invitation for `user`, inside the caller's transaction (accepting, or signing up with it): the user's
 * e-mail must be the invited one, and the invitation works once, however many calls race for it.
 */
export async function acceptInvitationIn(trx: Transaction<DB>, token: string, user: { id: string; email: string }, actor: Actor): Promise<Joined> {
  const invitation = await usableInvitation(trx, token);
  if (user.email.toLowerCase() !== invitation.email) {
    throw forbidden(`This invitation is for ${invitation.email}, not ${user.email}: use that address to accept it`);
  }
  if (!(await claimInvitation(trx, invitation.id))) {
    // Taken by a concurrent call, or lapsed just now: its row as it is now says which.
    await usableInvitation(trx, token);
    throw conflict("This invitation is being used right now; try again");
  }
  if (!(await addMembership(trx, invitation.tenant_id, user.id, invitation.role))) {
    throw conflict(`You are already a member of ${invitation.tenant_name}`);
  }
  await insertAudit(trx, actor, {
    tenantId: invitation.tenant_id,
    action: "invitation.accepted",
    target: { type: "invitation", id: invitation.id },
    metadata: { email: invitation.email, role: invitation.role, userId: user.id },
  });
  return { tenant: { id: invitation.tenant_id, name: invitation.tenant_name }, role: invitation.role };
}

/** A signed-in user accepts an invitation to their e-mail address. */
export async function acceptInvitation(db: Kysely<DB>, token: string, user: { id: string; email: string }, actor: Actor): Promise<Joined> {
  return db.transaction().execute((trx) => acceptInvitationIn(trx, token, user, actor));
}
