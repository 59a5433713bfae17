import type { Redis } from "ioredis";
import { gcraStep } from "./gcra.ts";

/** What to do with a limit when its shared store (Redis) fails: decided per limit, see docs/decisions/003. */
export type StoreFailurePolicy = "open" | "closed" | "local";

export interface LimitRule {
  /** The policy's name in RateLimit headers, e.g. "api-key". */
  name: string;
  /** Who is counted, e.g. "api:key_…". */
  key: string;
  limit: number;
  periodSeconds: number;
  onStoreFailure: StoreFailurePolicy;
}

export interface RuleOutcome {
  rule: LimitRule;
  allowed: boolean;
  remaining: number;
  resetSeconds: number;
  retryAfterSeconds: number;
}

export interface Decision {
  allowed: boolean;
  outcomes: RuleOutcome[];
  retryAfterSeconds: number;
}

export interface Limiter {
  /** Counts one request against every rule, all or nothing: if any refuses, none is charged. */
  check(rules: LimitRule[]): Promise<Decision>;
  reset(key: string): Promise<void>;
}

function toOutcome(rule: LimitRule, step: ReturnType<typeof gcraStep>): RuleOutcome {
  return {
    rule,
    allowed: step.allowed,
    remaining: step.remaining,
    resetSeconds: Math.ceil(step.resetMs / 1000),
    retryAfterSeconds: step.allowed ? 0 : Math.max(1, Math.ceil(step.retryAfterMs / 1000)),
  };
}

function decide(outcomes: RuleOutcome[]): Decision {
  const allowed = outcomes.every((o) => o.allowed);
  return { allowed, outcomes, retryAfterSeconds: allowed ? 0 : Math.max(...outcomes.map((o) => o.retryAfterSeconds)) };
}

/** In-process GCRA: the embedded default, and the `local` fallback when Redis fails. */
export function createMemoryLimiter(now: () => number = Date.now): Limiter {
  const tats = new Map<string, { tat: number; expiresAt: number }>();
  return {
    async check(rules) {
      const t = now();
      const steps = rules.map((rule) => {
        const stored = tats.get(rule.key);
        return gcraStep(stored && stored.expiresAt > t ? stored.tat : undefined, t, { limit: rule.limit, periodMs: rule.periodSeconds * 1000, cost: 1 });
      });
      const decision = decide(steps.map((s, i) => toOutcome(rules[i]!, s)));
      if (decision.allowed) {
        steps.forEach((s, i) => {
          tats.set(rules[i]!.key, { tat: s.newTat, expiresAt: s.newTat });
        });
        if (tats.size > 100_000) for (const [k, v] of tats) if (v.expiresAt <= t) tats.delete(k);
      }
      return decision;
    },
    async reset(key) {
      tats.delete(key);
    },
  };
}

// All rules in one script run: read every TAT, decide, and write them only if every rule allows. The time is
// Redis's own, so instances with skewed clocks still agree.
const CHECK_SCRIPT = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local n = #KEYS
local allowed = 1
local out = {}
local tats = {}
for i = 1, n do
  local limit = tonumber(ARGV[i * 2 - 1])
  local period = tonumber(ARGV[i * 2])
  local interval = period / limit
  local tat = tonumber(redis.call('GET', KEYS[i]) or now)
  if tat < now then tat = now end
  local new_tat = tat + interval
  local ok = (new_tat - now) <= period
  if not ok then allowed = 0 end
  local effective = tat
  if ok then effective = new_tat end
  tats[i] = math.ceil(new_tat)
  local remaining = math.floor((period - (effective - now)) / interval)
  if remaining < 0 then remaining = 0 end
  local retry = 0
  if not ok then retry = math.ceil(new_tat - period - now) end
  out[i] = {ok and 1 or 0, remaining, math.ceil(effective - now), retry}
end
if allowed == 1 then
  for i = 1, n do
    redis.call('SET', KEYS[i], tats[i], 'PX', math.max(1, tats[i] - now))
  end
end
return out
`;

/**
 * Shared GCRA in Redis, so every instance sees the same counts. When Redis fails, each rule follows its own
 * policy: `local` falls back to this instance's counters, `open` lets the request through, `closed` refuses it.
 */
export function createRedisLimiter(redis: Redis, onStoreFailure: (error: unknown) => void): Limiter {
  const local = createMemoryLimiter();
  redis.defineCommand("bizbotLimit", { lua: CHECK_SCRIPT });
  const run = redis as unknown as { bizbotLimit(numKeys: number, ...args: Array<string | number>): Promise<Array<[number, number, number, number]>> };
  return {
    async check(rules) {
      if (rules.length === 0) return { allowed: true, outcomes: [], retryAfterSeconds: 0 };
      try {
        const args = rules.flatMap((r) => [r.limit, r.periodSeconds * 1000]);
        const replies = await run.bizbotLimit(rules.length, ...rules.map((r) => `rl:${r.key}`), ...args);
        return decide(
          replies.map(([ok, remaining, resetMs, retryMs], i) =>
            toOutcome(rules[i]!, { allowed: ok === 1, newTat: 0, remaining, resetMs, retryAfterMs: retryMs }),
          ),
        );
      } catch (error) {
        onStoreFailure(error);
        return fallback(rules, local);
      }
    },
    async reset(key) {
      await local.reset(key);
      try {
        await redis.del(`rl:${key}`);
      } catch (error) {
        onStoreFailure(error);
      }
    },
  };
}

async function fallback(rules: LimitRule[], local: Limiter): Promise<Decision> {
  const localDecision = await local.check(rules.filter((r) => r.onStoreFailure === "local"));
  const outcomes = rules.map((rule): RuleOutcome => {
    if (rule.onStoreFailure === "local") return localDecision.outcomes.find((o) => o.rule === rule)!;
    const allowed = rule.onStoreFailure === "open";
    return { rule, allowed, remaining: allowed ? rule.limit : 0, resetSeconds: 1, retryAfterSeconds: allowed ? 0 : 1 };
  });
  return decide(outcomes);
}
