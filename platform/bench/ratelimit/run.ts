/**
 * Rate-limit benchmark (`npm run bench` in platform/):
 *  1. Latency of one decision (a visitor limit and the tenant's ceiling, all or nothing, one Lua script in Redis):
 *     p50 and p99 of sequential calls. Target p99 <= 2 ms.
 *  2. Decisions per second with 32 concurrent callers.
 * Reference, same run, same Redis connection: a bare INCR round trip. Without REDIS_URL the limiter is in-process
 * and the reference is a Map increment.
 * Knobs (env): BENCH_N (20000), BENCH_SECONDS (5).
 */
import { Redis } from "ioredis";
import { createMemoryLimiter, createRedisLimiter, type LimitRule } from "../../src/ratelimit/limiter.ts";
import { fmt, machineLine, runConcurrent, summarize, table, timeCalls, verdict } from "../lib.ts";

const N = Number(process.env.BENCH_N ?? 20_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const url = process.env.REDIS_URL;
const redis = url ? new Redis(url, { keyPrefix: `bizbot-bench-${process.pid}:`, enableOfflineQueue: false, lazyConnect: true }) : null;
await redis?.connect();

const limiter = redis
  ? createRedisLimiter(redis, (error) => {
      throw error;
    })
  : createMemoryLimiter();
const counts = new Map<string, number>();
const reference = redis
  ? (n: number) => redis.incr(`ref:${n % 1000}`)
  : async (n: number) => void counts.set(`ref:${n % 1000}`, (counts.get(`ref:${n % 1000}`) ?? 0) + 1);

// Limits generous enough never to refuse: the cost measured is deciding, not refusing.
const rules = (n: number): LimitRule[] => [
  { name: "visitor", key: `visitor:bench:${n % 1000}`, limit: 1_000_000_000, periodSeconds: 60, onStoreFailure: "local" },
  { name: "tenant-visitors", key: "tenant-visitors:bench", limit: 1_000_000_000, periodSeconds: 60, onStoreFailure: "local" },
];

try {
  console.log(`Rate-limit benchmark — ${new Date().toISOString()}`);
  console.log(`mode: ${redis ? "Redis (REDIS_URL): one Lua script per decision" : "in-process (no REDIS_URL)"}; ${machineLine()}\n`);
  let i = 0;
  const decision = summarize(await timeCalls(() => limiter.check(rules(i++)), N));
  let j = 0;
  const ref = summarize(await timeCalls(() => reference(j++), N));
  console.log(
    table(
      ["sequential, µs", "p50", "p99", "mean"],
      [
        ["decision (2 limits)", fmt(decision.p50), fmt(decision.p99), fmt(decision.mean)],
        [redis ? "reference: INCR" : "reference: Map increment", fmt(ref.p50), fmt(ref.p99), fmt(ref.mean)],
      ],
    ),
  );
  const refLoad = await runConcurrent((n) => reference(n), { concurrency: 32, durationMs: SECONDS * 1000, warmupMs: 500 });
  const decisionLoad = await runConcurrent((n) => limiter.check(rules(n)), { concurrency: 32, durationMs: SECONDS * 1000, warmupMs: 500 });
  console.log(
    `\n${table(
      ["32 concurrent", "ops/s", "p50 µs", "p99 µs"],
      [
        ["decision (2 limits)", fmt(decisionLoad.perSecond, 0), fmt(decisionLoad.latency.p50, 0), fmt(decisionLoad.latency.p99, 0)],
        [redis ? "reference: INCR" : "reference: Map increment", fmt(refLoad.perSecond, 0), fmt(refLoad.latency.p50, 0), fmt(refLoad.latency.p99, 0)],
      ],
    )}`,
  );
  console.log(
    `\nratio decision/reference: latency p50 ${fmt(decision.p50 / ref.p50)}x, throughput ${fmt((decisionLoad.perSecond / refLoad.perSecond) * 100)}%`,
  );
  console.log(`target p99 <= 2 ms (sequential): ${fmt(decision.p99 / 1000, 3)} ms -> ${verdict(decision.p99 <= 2000)}`);
} finally {
  await redis?.del(...Array.from({ length: 1000 }, (_, k) => `ref:${k}`));
  redis?.disconnect();
}
