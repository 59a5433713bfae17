import { env } from "./env.server.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a state-changing request comes from the portal's own pages. Browsers send Origin on every POST; one
 * without it (an old browser) must at least say it is same-origin. Anything else is a cross-site forgery attempt,
 * whatever the SameSite cookie would have let through.
 */
export function fromOwnOrigin(request: Request): boolean {
  if (SAFE_METHODS.has(request.method)) return true;
  const own = env.PORTAL_URL ? new URL(env.PORTAL_URL).origin : new URL(request.url).origin;
  const origin = request.headers.get("origin");
  if (origin) return origin === own;
  return request.headers.get("sec-fetch-site") === "same-origin";
}
