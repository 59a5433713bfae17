import type { ServerResponse } from "node:http";
import type { Counter } from "prom-client";
import { rateLimited } from "../errors.ts";
import type { Limiter, LimitRule } from "./limiter.ts";

/**
 * Counts a request against `rules` and answers the IETF RateLimit headers
 * (`RateLimit-Policy: "name";q=…;w=…` and `RateLimit: "name";r=…;t=…`); a refusal is a 429 with Retry-After.
 */
export async function enforceLimits(
  deps: { limiter: Limiter; metrics: { rateLimited: Counter<"limit"> } },
  res: ServerResponse,
  rules: LimitRule[],
): Promise<void> {
  const decision = await deps.limiter.check(rules);
  res.setHeader("RateLimit-Policy", rules.map((r) => `"${r.name}";q=${r.limit};w=${r.periodSeconds}`).join(", "));
  res.setHeader("RateLimit", decision.outcomes.map((o) => `"${o.rule.name}";r=${o.remaining};t=${o.resetSeconds}`).join(", "));
  if (decision.allowed) return;
  for (const outcome of decision.outcomes) if (!outcome.allowed) deps.metrics.rateLimited.inc({ limit: outcome.rule.name });
  res.setHeader("Retry-After", String(decision.retryAfterSeconds));
  throw rateLimited(decision.retryAfterSeconds);
}
