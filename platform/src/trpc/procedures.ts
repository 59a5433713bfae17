import { DomainError, forbidden } from "../errors.ts";
import { listMemberships } from "../auth/repository.ts";
import { validateSessionToken } from "../auth/sessions.ts";
import type { Role } from "../db/schema.ts";
import { parseKey } from "../keys/format.ts";
import { originAllowed } from "../keys/origins.ts";
import { bearerToken, header } from "./context.ts";
import { procedure } from "./init.ts";

/** Header carrying the widget's publishable key. */
export const PUBLISHABLE_KEY_HEADER = "x-bizbot-key";
/** Header choosing which of the signed-in user's tenants a portal call acts on. */
export const TENANT_HEADER = "x-bizbot-tenant";

export const publicProcedure = procedure.meta({ tier: "public" });

/** The widget on a tenant's site: a publishable key, and an Origin that key allows. */
export const visitorProcedure = procedure.meta({ tier: "visitor" }).use(async ({ ctx, next }) => {
  const presented = header(ctx.req, PUBLISHABLE_KEY_HEADER);
  if (!presented) throw new DomainError("unauthenticated", "Missing publishable key (X-BizBot-Key header)");
  const key = await ctx.deps.keyVerifier.verify(presented);
  if (!key) throw new DomainError("invalid_api_key", "Invalid, revoked or expired API key");
  if (key.kind !== "publishable") throw forbidden("The widget takes a publishable key (pk_…); a secret key must never reach a browser");
  const origin = header(ctx.req, "origin");
  if (!originAllowed(origin, key.allowedOrigins)) {
    throw new DomainError("origin_not_allowed", `Origin ${origin ?? "(none)"} is not allowed for this key; add it to the key's allowed origins`);
  }
  // CORS is answered per key: only an origin this key allows may read the answer.
  ctx.res.setHeader("Access-Control-Allow-Origin", origin!);
  ctx.res.setHeader("Vary", "Origin");
  return next({ ctx: { key, tenant: { id: key.tenantId, name: key.tenantName } } });
});

/** A tenant's server: `Authorization: Bearer sk_…`. */
export const tenantProcedure = procedure.meta({ tier: "tenant" }).use(async ({ ctx, next }) => {
  const presented = bearerToken(ctx.req);
  if (!presented) throw new DomainError("unauthenticated", "Missing API key: send Authorization: Bearer sk_…");
  const key = await ctx.deps.keyVerifier.verify(presented);
  if (!key) throw new DomainError("invalid_api_key", "Invalid, revoked or expired API key");
  if (key.kind !== "secret") throw forbidden("This call takes a secret key (sk_…); publishable keys are for the widget only");
  return next({
    ctx: { key, tenant: { id: key.tenantId, name: key.tenantName }, actor: { type: "api_key" as const, id: key.id, ip: ctx.ip } },
  });
});

/** A signed-in person, before any tenant is chosen: `Authorization: Bearer <session token>`. */
export const userProcedure = procedure.meta({ tier: "user" }).use(async ({ ctx, next }) => {
  const token = bearerToken(ctx.req);
  if (!token) throw new DomainError("unauthenticated", "Sign in first: send Authorization: Bearer <session token>");
  if (parseKey(token)) throw new DomainError("invalid_session", "API keys cannot call portal procedures; sign in instead");
  const valid = await validateSessionToken(ctx.deps.db, token);
  if (!valid) throw new DomainError("invalid_session", "Your session has expired or was signed out; sign in again");
  return next({ ctx: { user: valid.user, session: valid.session } });
});

/** A member acting on one tenant: the X-BizBot-Tenant header, or by default their oldest membership. */
export const memberProcedure = userProcedure.meta({ tier: "member" }).use(async ({ ctx, next }) => {
  const memberships = await listMemberships(ctx.deps.db, ctx.user.id);
  const wanted = header(ctx.req, TENANT_HEADER);
  const membership = wanted ? memberships.find((m) => m.tenantId === wanted) : memberships[0];
  if (!membership) throw forbidden(wanted ? `You are not a member of tenant ${wanted}` : "You are not a member of any tenant");
  return next({
    ctx: {
      tenant: { id: membership.tenantId, name: membership.tenantName },
      role: membership.role,
      actor: { type: "user" as const, id: ctx.user.id, ip: ctx.ip },
    },
  });
});

function requireRole(tier: "admin" | "owner", roles: readonly Role[]) {
  return memberProcedure.meta({ tier }).use(({ ctx, next }) => {
    if (!roles.includes(ctx.role)) throw forbidden(`This needs the ${roles.join(" or ")} role; you are ${ctx.role}`);
    return next();
  });
}

/** Owners and admins: keys and settings. */
export const adminProcedure = requireRole("admin", ["owner", "admin"]);
/** Owners only: the tenant itself. */
export const ownerProcedure = requireRole("owner", ["owner"]);
