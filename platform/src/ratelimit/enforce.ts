import type { Counter } from "prom-client";
import { rateLimited } from "../errors.ts";
import type { Limiter, LimitRule } from "./limiter.ts";

/**
 * Counts a request against `rules` and answers the IETF RateLimit headers
 * (`RateLimit-Policy: "name";q=…;w=…` and `RateLimit: "name";r=…;t=…`); a refusal is a 429 with Retry-After.
 */
export async function enforceLimits(
  deps: { limiter: Limiter; metrics: { rateLimited: Counter<"limit"> } },
  headers: { setHeader(name: string, value: string): unknown },
  rules: LimitRule[],
): Promise<void> {
  const decision = await deps.limiter.check(rules);
  // Plain loops: this runs on every limited request, and closures + join cost more than the strings.
  let policy = "";
  let state = "";
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const outcome = decision.outcomes[i]!;
    const separator = i === 0 ? "" : ", ";
    policy += `${separator}"${rule.name}";q=${rule.limit};w=${rule.periodSeconds}`;
    state += `${separator}"${outcome.rule.name}";r=${outcome.remaining};t=${outcome.resetSeconds}`;
  }
  headers.setHeader("RateLimit-Policy", policy);
  headers.setHeader("RateLimit", state);
  if (decision.allowed) return;
  for (const outcome of decision.outcomes) if (!outcome.allowed) deps.metrics.rateLimited.inc({ limit: outcome.rule.name });
  headers.setHeader("Retry-After", String(decision.retryAfterSeconds));
  throw rateLimited(decision.retryAfterSeconds);
}
