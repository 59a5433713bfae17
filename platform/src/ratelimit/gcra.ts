/**
 * GCRA (the generic cell rate algorithm): each key keeps one number, the theoretical arrival time (TAT). A limit of
 * `limit` per `period` spaces requests `period / limit` apart and allows a burst of the whole limit. The same
 * arithmetic runs here (in-process limiter) and in Lua inside Redis (limits.lua in redis.ts).
 */
export interface GcraParams {
  limit: number;
  periodMs: number;
  cost: number;
}

export interface GcraStep {
  allowed: boolean;
  newTat: number;
  remaining: number;
  /** Until the quota is whole again. */
  resetMs: number;
  /** Until this request would be allowed; 0 when it is. */
  retryAfterMs: number;
}

export function gcraStep(storedTat: number | undefined, now: number, p: GcraParams): GcraStep {
  const interval = p.periodMs / p.limit;
  const tat = Math.max(storedTat ?? now, now);
  const newTat = tat + interval * p.cost;
  const allowed = newTat - now <= p.periodMs;
  const effective = allowed ? newTat : tat;
  return {
    allowed,
    newTat: Math.ceil(newTat),
    remaining: Math.max(0, Math.floor((p.periodMs - (effective - now)) / interval)),
    resetMs: Math.max(0, Math.ceil(effective - now)),
    retryAfterMs: allowed ? 0 : Math.ceil(newTat - p.periodMs - now),
  };
}
