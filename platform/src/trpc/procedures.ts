import { DomainError, forbidden } from "../errors.ts";
import { userMemberships } from "../auth/service.ts";
import { validateSessionToken } from "../auth/sessions.ts";
import type { Role } from "../db/schema.ts";
import { parseKey } from "../keys/format.ts";
import { checkPublishableKey } from "../keys/publishable.ts";
import { enforceLimits } from "../ratelimit/enforce.ts";
import type { LimitRule } from "../ratelimit/limiter.ts";
import type { TenantSettings } from "../tenants/settings.ts";
import { visitorIdentity } from "../trials/identity.ts";
import { bearerToken, header, headerOrParam, type Context } from "./context.ts";
import { procedure } from "./init.ts";

/** Header carrying the widget's publishable key. */
export const PUBLISHABLE_KEY_HEADER = "x-bizbot-key";
/** Header carrying the widget's per-browser random id, one part of the visitor's identity. */
export const VISITOR_HEADER = "x-bizbot-visitor";
/** Header choosing which of the signed-in user's tenants a portal call acts on. */
export const TENANT_HEADER = "x-bizbot-tenant";

// Each tier is a plain function of the context: the tRPC middlewares below wrap them, and REST /v1 calls them
// directly on its fast path, so both transports check exactly the same things.

/** The widget on a tenant's site: a publishable key, an Origin that key allows, and the visitor's limits. */
export async function visitorAccess(ctx: Context) {
  // Which pages may read the answer is the HTTP layer's (http/server.ts): any page, for calls to visitor procedures
  // alone. So these checks refuse an origin the key does not allow before anything of the tenant's is read.
  const presented = headerOrParam(ctx, PUBLISHABLE_KEY_HEADER);
  if (!presented) throw new DomainError("unauthenticated", "Missing publishable key (X-BizBot-Key header)");
  const key = await checkPublishableKey(
    ctx.deps.keyVerifier,
    presented,
    { origin: header(ctx.req, "origin"), secFetchSite: header(ctx.req, "sec-fetch-site") },
    { publicUrl: ctx.deps.env.PUBLIC_URL, portalUrl: ctx.deps.env.PORTAL_URL },
  );
  const fingerprint = (headerOrParam(ctx, VISITOR_HEADER) ?? "").slice(0, 128);
  const visitor = visitorIdentity(ctx.deps.visitorSecret, fingerprint, ctx.ip, (header(ctx.req, "user-agent") ?? "").slice(0, 512));
  const { rateLimits } = await ctx.deps.settings.get(key.tenantId);
  // One visitor's pace, and the whole site's: a visitor rotating fingerprints still meets the tenant's ceiling.
  await enforceLimits(ctx.deps, ctx.headers, [
    { name: "visitor", key: `visitor:${key.tenantId}:${visitor.hash}`, limit: rateLimits.visitorPerMinute, periodSeconds: 60, onStoreFailure: "local" },
    tenantVisitorsRule(key.tenantId, rateLimits),
  ]);
  return { key, tenant: { id: key.tenantId, name: key.tenantName }, visitor };
}

/** The ceiling on all of a tenant's visitors together; also what GET /widget/config counts (no visitor is known there yet). */
export function tenantVisitorsRule(tenantId: string, rateLimits: Pick<TenantSettings["rateLimits"], "tenantVisitorsPerMinute">): LimitRule {
  return { name: "tenant-visitors", key: `tenant-visitors:${tenantId}`, limit: rateLimits.tenantVisitorsPerMinute, periodSeconds: 60, onStoreFailure: "local" };
}

/** A tenant's server: `Authorization: Bearer sk_…`, within the key's hourly limit. */
export async function secretKeyAccess(ctx: Context) {
  const presented = bearerToken(ctx.req);
  if (!presented) throw new DomainError("unauthenticated", "Missing API key: send Authorization: Bearer sk_…");
  const key = await ctx.deps.keyVerifier.verify(presented);
  if (!key) throw new DomainError("invalid_api_key", "Invalid, revoked or expired API key");
  if (key.kind !== "secret") throw forbidden("This call takes a secret key (sk_…); publishable keys are for the widget only");
  const { rateLimits } = await ctx.deps.settings.get(key.tenantId);
  // Fails open if Redis is away: these callers are authenticated, and their spending is bounded by credits in
  // Postgres, so an outage of the cache should not take tenants' integrations down.
  await enforceLimits(ctx.deps, ctx.headers, [
    { name: "api-key", key: `api:${key.id}`, limit: rateLimits.secretKeyPerHour, periodSeconds: 3600, onStoreFailure: "open" },
  ]);
  return { key, tenant: { id: key.tenantId, name: key.tenantName }, actor: { type: "api_key" as const, id: key.id, ip: ctx.ip } };
}

/** A signed-in person, before any tenant is chosen: `Authorization: Bearer <session token>`. */
export async function sessionAccess(ctx: Context) {
  const token = bearerToken(ctx.req);
  if (!token) throw new DomainError("unauthenticated", "Sign in first: send Authorization: Bearer <session token>");
  if (parseKey(token)) throw new DomainError("invalid_session", "API keys cannot call portal procedures; sign in instead");
  const valid = await validateSessionToken(ctx.deps.db, token);
  if (!valid) throw new DomainError("invalid_session", "Your session has expired or was signed out; sign in again");
  return { user: valid.user, session: valid.session };
}

/** A member acting on one tenant: the X-BizBot-Tenant header, or by default their oldest membership. */
export async function memberAccess(ctx: Context, user: { id: string }) {
  const memberships = await userMemberships(ctx.deps.db, user.id);
  const wanted = header(ctx.req, TENANT_HEADER);
  const membership = wanted ? memberships.find((m) => m.tenantId === wanted) : memberships[0];
  if (!membership) throw forbidden(wanted ? `You are not a member of tenant ${wanted}` : "You are not a member of any tenant");
  return {
    tenant: { id: membership.tenantId, name: membership.tenantName },
    role: membership.role,
    actor: { type: "user" as const, id: user.id, ip: ctx.ip },
  };
}

export const publicProcedure = procedure.meta({ tier: "public" });
export const visitorProcedure = procedure.meta({ tier: "visitor" }).use(async ({ ctx, next }) => next({ ctx: await visitorAccess(ctx) }));
export const tenantProcedure = procedure.meta({ tier: "tenant" }).use(async ({ ctx, next }) => next({ ctx: await secretKeyAccess(ctx) }));
export const userProcedure = procedure.meta({ tier: "user" }).use(async ({ ctx, next }) => next({ ctx: await sessionAccess(ctx) }));
export const memberProcedure = userProcedure.meta({ tier: "member" }).use(async ({ ctx, next }) => next({ ctx: await memberAccess(ctx, ctx.user) }));

function assertRole(role: Role, roles: readonly Role[]) {
  if (!roles.includes(role)) throw forbidden(`This needs the ${roles.join(" or ")} role; you are ${role}`);
}

function requireRole(tier: "admin" | "owner", roles: readonly Role[]) {
  return memberProcedure.meta({ tier }).use(({ ctx, next }) => {
    assertRole(ctx.role, roles);
    return next();
  });
}

/**
 * A tenant's server (secret key) or its people in the portal (session), for domains both manage, such as the
 * knowledge base: one procedure serves REST /v1 and the portal. With a session, `roles` apply.
 */
function tenantOrMember(tier: "tenant-or-member" | "tenant-or-admin", roles: readonly Role[]) {
  return procedure.meta({ tier }).use(async ({ ctx, next }) => {
    const token = bearerToken(ctx.req);
    if (token && parseKey(token)) {
      const access = await secretKeyAccess(ctx);
      return next({ ctx: { tenant: access.tenant, actor: access.actor } });
    }
    const { user } = await sessionAccess(ctx);
    const member = await memberAccess(ctx, user);
    assertRole(member.role, roles);
    return next({ ctx: { tenant: member.tenant, actor: member.actor } });
  });
}

/** Reads: a secret key, or any member. */
export const tenantOrMemberProcedure = tenantOrMember("tenant-or-member", ["owner", "admin", "member"]);
/** Changes: a secret key, or an owner or admin. */
export const tenantOrAdminProcedure = tenantOrMember("tenant-or-admin", ["owner", "admin"]);

/** Owners and admins: keys and settings. */
export const adminProcedure = requireRole("admin", ["owner", "admin"]);
/** Owners only: the tenant itself. */
export const ownerProcedure = requireRole("owner", ["owner"]);
