import type { Redis } from "ioredis";

export interface LimitDecision {
  allowed: boolean;
  remaining: number;
  /** Seconds until the window frees up; 0 when allowed. */
  retryAfterSeconds: number;
}

export interface Limiter {
  /** Counts one attempt against `key` and says whether it is within `limit` per `windowSeconds`. */
  hit(key: string, limit: number, windowSeconds: number): Promise<LimitDecision>;
  reset(key: string): Promise<void>;
}

/** Fixed-window counters in this process: the embedded default, and the fallback when Redis fails. */
export function createMemoryLimiter(now: () => number = Date.now): Limiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return {
    async hit(key, limit, windowSeconds) {
      const t = now();
      let w = windows.get(key);
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + windowSeconds * 1000 };
        windows.set(key, w);
        if (windows.size > 100_000) sweep(windows, t);
      }
      w.count++;
      return decide(w.count, limit, w.resetAt - t);
    },
    async reset(key) {
      windows.delete(key);
    },
  };
}

function sweep(windows: Map<string, { resetAt: number }>, t: number) {
  for (const [k, w] of windows) if (w.resetAt <= t) windows.delete(k);
}

function decide(count: number, limit: number, msLeft: number): LimitDecision {
  const allowed = count <= limit;
  return { allowed, remaining: Math.max(0, limit - count), retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(msLeft / 1000)) };
}

// One round trip, atomic: count the hit and start the window on the first one.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}
`;

/**
 * Shared counters in Redis, so every instance sees the same attempts. If Redis fails, decisions fall back to this
 * process's counters: a limit then holds per instance rather than not at all (fail to local, never fail open).
 */
export function createRedisLimiter(redis: Redis, onFallback: (error: unknown) => void): Limiter {
  const local = createMemoryLimiter();
  return {
    async hit(key, limit, windowSeconds) {
      try {
        const [count, pttl] = (await redis.eval(HIT_SCRIPT, 1, `rl:${key}`, windowSeconds * 1000)) as [number, number];
        return decide(count, limit, pttl);
      } catch (error) {
        onFallback(error);
        return local.hit(key, limit, windowSeconds);
      }
    },
    async reset(key) {
      await local.reset(key);
      try {
        await redis.del(`rl:${key}`);
      } catch (error) {
        onFallback(error);
      }
    },
  };
}
