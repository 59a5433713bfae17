import type { Kysely } from "kysely";
import type { KeyMode } from "@bizbot/shared";
import type { Actor } from "../audit/repository.ts";
import { isUniqueViolation } from "../db/errors.ts";
import type { DB, User } from "../db/schema.ts";
import { conflict, DomainError, invalidInput, notFound, rateLimited } from "../errors.ts";
import { randomToken } from "../lib/crypto.ts";
import { newId } from "../lib/ids.ts";
import type { Limiter } from "../ratelimit/limiter.ts";
import { acceptInvitationIn } from "../team/service.ts";
import { findTenant } from "../tenants/repository.ts";
import { insertTenantWithKeys, viewTenant, type KeyPair, type TenantView } from "../tenants/service.ts";
import { hashPassword, passwordProblem, verifyNothing, verifyPassword } from "./password.ts";
import { findUserByEmail, insertMembership, insertUser, listMemberships, type MembershipView } from "./repository.ts";
import { createSession, invalidateSession } from "./sessions.ts";

export interface AuthDeps {
  db: Kysely<DB>;
  limiter: Limiter;
}

/** Failed or not, every sign-in attempt counts; a success clears the account's count. */
export const SIGN_IN_LIMITS = {
  perAccount: { limit: 10, periodSeconds: 15 * 60 },
  perIp: { limit: 100, periodSeconds: 15 * 60 },
} as const;

export interface SignedIn {
  token: string;
  expiresAt: string;
  user: { id: string; email: string };
  memberships: MembershipView[];
}

export interface SignedUp extends SignedIn {
  tenant: TenantView;
  /** The new tenant's keys, shown this once; null when the account joined a tenant by invitation. */
  keys: Record<KeyMode, KeyPair> | null;
}

export interface SignUpInput {
  email: string;
  password: string;
  /** The new tenant's name: required, unless an invitation is given. */
  tenantName?: string | undefined;
  allowedOrigins?: string[] | undefined;
  /** An invitation's token: the account joins the inviting tenant with the invited role, and makes no tenant. */
  invitation?: string | undefined;
  /** Where the sign-up came from, kept on the new tenant ('widget-trial': the house widget's call to action). */
  source?: "widget-trial" | undefined;
}

/** Either a tenant of one's own (its name) or an invitation to another (nothing about a new tenant). */
function assertSignUpShape(input: SignUpInput) {
  if (input.invitation) {
    const extra = (["tenantName", "allowedOrigins", "source"] as const).filter((field) => input[field] !== undefined);
    if (extra.length) {
      throw invalidInput(
        `With an invitation you join the inviting tenant: leave out ${extra.join(", ")}`,
        Object.fromEntries(extra.map((field) => [field, ["is not taken with an invitation"]])),
      );
    }
  } else if (!input.tenantName) {
    throw invalidInput("Name your tenant, or sign up with an invitation", { tenantName: ["is required"] });
  }
}

export function assertPassword(password: string) {
  const problem = passwordProblem(password);
  if (problem) throw invalidInput(`Password ${problem}`, { password: [problem] });
}

/**
 * A new account: the user, their tenant, the owner membership and a test and a live key pair, all or nothing. With
 * an invitation (to this e-mail), the user joins the inviting tenant with the invited role instead, in the same
 * transaction: no tenant and no keys are made.
 */
export async function signUp(deps: AuthDeps, input: SignUpInput, ip: string | null): Promise<SignedUp> {
  assertSignUpShape(input);
  assertPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  const userId = newId("user");
  const actor: Actor = { type: "user", id: userId, ip };
  try {
    const created = await deps.db.transaction().execute(async (trx) => {
      if (await findUserByEmail(trx, input.email)) throw emailTaken();
      const user = await insertUser(trx, { id: userId, email: input.email, password_hash: passwordHash });
      if (input.invitation) {
        const joined = await acceptInvitationIn(trx, input.invitation, user, actor);
        const tenant = await findTenant(trx, joined.tenant.id);
        if (!tenant) throw notFound("Tenant");
        return { user, tenant, keys: null };
      }
      const { tenant, keys } = await insertTenantWithKeys(trx, actor, {
        name: input.tenantName!,
        modes: ["test", "live"],
        allowedOrigins: input.allowedOrigins,
      });
      if (input.source) await trx.updateTable("tenants").set({ signup_source: input.source }).where("id", "=", tenant.id).execute();
      await insertMembership(trx, tenant.id, user.id, "owner");
      return { user, tenant, keys: keys as Record<KeyMode, KeyPair> };
    });
    const { token, session } = await createSession(deps.db, created.user.id);
    return {
      token,
      expiresAt: session.expires_at.toISOString(),
      user: { id: created.user.id, email: created.user.email },
      memberships: await listMemberships(deps.db, created.user.id),
      tenant: viewTenant(created.tenant),
      keys: created.keys,
    };
  } catch (error) {
    // Two sign-ups racing for one e-mail: the unique index decides, the loser gets the same answer as above.
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

const emailTaken = () => conflict("An account with this e-mail already exists; sign in instead");

export async function signIn(deps: AuthDeps, input: { email: string; password: string }, ip: string | null): Promise<SignedIn> {
  const accountKey = `signin:account:${input.email.toLowerCase()}`;
  // Counted before the password is checked, so concurrent guesses cannot outrun the count. If Redis fails, each
  // instance keeps counting on its own: looser, but never unlimited and never a lockout of everyone.
  const decision = await deps.limiter.check([
    { name: "sign-in-account", key: accountKey, ...SIGN_IN_LIMITS.perAccount, onStoreFailure: "local" },
    { name: "sign-in-address", key: `signin:ip:${ip ?? "unknown"}`, ...SIGN_IN_LIMITS.perIp, onStoreFailure: "local" },
  ]);
  if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds);
  const user = await findUserByEmail(deps.db, input.email);
  const ok = user ? await verifyPassword(user.password_hash, input.password) : await verifyNothing(input.password);
  if (!user || !ok) throw new DomainError("invalid_credentials", "Wrong e-mail or password");
  await deps.limiter.reset(accountKey);
  return startSession(deps.db, user);
}

/** A fresh session for `user`, in the shape every sign-in answers with. */
export async function startSession(db: Kysely<DB>, user: User): Promise<SignedIn> {
  const { token, session } = await createSession(db, user.id);
  return { token, expiresAt: session.expires_at.toISOString(), user: { id: user.id, email: user.email }, memberships: await listMemberships(db, user.id) };
}

export async function signOut(db: Kysely<DB>, sessionId: string): Promise<void> {
  await invalidateSession(db, sessionId);
}

/** The user's tenants, oldest membership first: the first is the default tenant. */
export function userMemberships(db: Kysely<DB>, userId: string): Promise<MembershipView[]> {
  return listMemberships(db, userId);
}

/**
 * The operator's way to make a tenant: the owner is an existing user (by e-mail) or a new one. A new owner without
 * a given password gets a generated one, returned once.
 */
export async function provisionTenant(
  db: Kysely<DB>,
  input: { name: string; ownerEmail: string; ownerPassword?: string | undefined; modes: readonly KeyMode[]; allowedOrigins?: string[] | undefined },
  actor: Actor,
) {
  const existing = await findUserByEmail(db, input.ownerEmail);
  if (existing && input.ownerPassword) throw conflict(`${input.ownerEmail} already has an account; leave out the password to make them owner`);
  const generatedPassword = existing || input.ownerPassword ? undefined : randomToken(15);
  const password = input.ownerPassword ?? generatedPassword;
  if (password) assertPassword(password);
  const passwordHash = password ? await hashPassword(password) : undefined;
  return db.transaction().execute(async (trx) => {
    const owner = existing ?? (await insertUser(trx, { id: newId("user"), email: input.ownerEmail, password_hash: passwordHash! }));
    const { tenant, keys } = await insertTenantWithKeys(trx, actor, input);
    await insertMembership(trx, tenant.id, owner.id, "owner");
    return { tenant: viewTenant(tenant), owner: { id: owner.id, email: owner.email, generatedPassword }, keys };
  });
}
