import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, type CallResult, rest, signUpAccount, type TestAccount, trpcMutation, trpcQuery } from "@bizbot/testing";
import { needsServices, startTestApp } from "../../test/harness.ts";
import type { App } from "../main.ts";
import { gcraStep } from "./gcra.ts";
import { createMemoryLimiter, createRedisLimiter, type LimitRule } from "./limiter.ts";

const rule = (key: string, limit: number, periodSeconds = 60, onStoreFailure: LimitRule["onStoreFailure"] = "local"): LimitRule => ({
  name: key,
  key,
  limit,
  periodSeconds,
  onStoreFailure,
});

describe("GCRA", () => {
  it("allows the limit in a burst, then spaces requests by period / limit", () => {
    let tat: number | undefined;
    const p = { limit: 100, periodMs: 60_000, cost: 1 };
    for (let i = 0; i < 100; i++) {
      const step = gcraStep(tat, 0, p);
      expect(step.allowed).toBe(true);
      expect(step.remaining).toBe(99 - i);
      tat = step.newTat;
    }
    const refused = gcraStep(tat, 0, p);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 600 });
    expect(gcraStep(tat, 599, p).allowed).toBe(false);
    expect(gcraStep(tat, 600, p).allowed).toBe(true);
  });

  it("decides several limits all or nothing", async () => {
    let now = 0;
    const limiter = createMemoryLimiter(() => now);
    expect((await limiter.check([rule("tight", 1), rule("loose", 10)])).allowed).toBe(true);
    const refused = await limiter.check([rule("tight", 1), rule("loose", 10)]);
    expect(refused.allowed).toBe(false);
    expect(refused.outcomes.map((o) => o.allowed)).toEqual([false, true]);
    // The refused call did not use up the loose limit.
    const loose = await limiter.check([rule("loose", 10)]);
    expect(loose.outcomes[0]!.remaining).toBe(8);
    now = 60_000;
    expect((await limiter.check([rule("tight", 1)])).allowed).toBe(true);
  });

  it("follows each limit's own policy when Redis is unreachable", async () => {
    const dead = new Redis("redis://127.0.0.1:1", { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on("error", () => {});
    let failures = 0;
    const limiter = createRedisLimiter(dead, () => failures++);
    const open = await limiter.check([rule("o", 1, 60, "open")]);
    expect(open.allowed).toBe(true);
    expect((await limiter.check([rule("c", 100, 60, "closed")])).allowed).toBe(false);
    expect((await limiter.check([rule("l", 2, 60, "local")])).allowed).toBe(true);
    expect((await limiter.check([rule("l", 2, 60, "local")])).allowed).toBe(true);
    expect((await limiter.check([rule("l", 2, 60, "local")])).allowed).toBe(false);
    expect(failures).toBe(5);
    dead.disconnect();
  });
});

/**
 * Calls until one is refused: how many were allowed, and how long it took. GCRA gives back one request every
 * period / limit, so a slow machine earns a few more than the limit; the tests bound them by the time taken rather
 * than assume 100 requests fit in 0.6 s.
 */
async function untilRefused(call: () => Promise<CallResult>): Promise<{ allowed: number; elapsedMs: number; refused: CallResult }> {
  const started = Date.now();
  for (let allowed = 0; allowed < 1000; allowed++) {
    const res = await call();
    if (res.status !== 200) {
      expect(res.status).toBe(429);
      return { allowed, elapsedMs: Date.now() - started, refused: res };
    }
  }
  throw new Error("never refused");
}

/** Requests a per-minute limit gives back over `ms`. */
const earnedBy = (ms: number, perMinute: number) => Math.ceil(ms / (60_000 / perMinute));

describe("limits over HTTP", () => {
  let app: App;
  let account: TestAccount;
  beforeAll(async () => {
    app = await startTestApp();
    account = await signUpAccount(app.url, { allowedOrigins: ["https://shop.example.com"] });
  });
  afterAll(() => app?.close());

  const widget = (fingerprint: string) => ({
    "x-bizbot-key": account.keys.live.publishable.key,
    origin: "https://shop.example.com",
    "x-bizbot-visitor": fingerprint,
    "user-agent": "Mozilla/5.0 Chrome/131.0",
  });

  it("refuses a widget visitor's 101st request in a minute with 429, Retry-After and RateLimit headers", async () => {
    const { allowed, elapsedMs, refused } = await untilRefused(() => trpcQuery(app.url, "widget.config", { headers: widget("fp-a") }));
    expect(allowed).toBeGreaterThanOrEqual(100);
    expect(allowed - 100).toBeLessThanOrEqual(earnedBy(elapsedMs, 100));
    expect(refused.error!.data.reason).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("ratelimit-policy")).toBe('"visitor";q=100;w=60, "tenant-visitors";q=3000;w=60');
    expect(refused.headers.get("ratelimit")).toMatch(/^"visitor";r=0;t=\d+, "tenant-visitors";r=\d+;t=\d+$/);
    // The widget may read them cross-origin.
    expect(refused.headers.get("access-control-expose-headers")).toContain("Retry-After");
    // Another visitor of the same site is not held back.
    expect((await trpcQuery(app.url, "widget.config", { headers: widget("fp-b") })).status).toBe(200);
  });

  it("holds a secret key to its hourly limit, as the tenant configured it", async () => {
    const own = await signUpAccount(app.url);
    expect((await trpcMutation(app.url, "settings.update", { input: { rateLimits: { secretKeyPerHour: 5 } }, headers: bearer(own.token) })).status).toBe(200);
    const key = bearer(own.keys.live.secret.key);
    for (let i = 0; i < 5; i++) {
      const res = await rest(app.url, "GET", "/v1/credits", { headers: key });
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit")).toBe(`"api-key";r=${4 - i};t=${Math.ceil(((i + 1) * 3600) / 5)}`);
    }
    const refused = await rest<{ error: { code: string } }>(app.url, "GET", "/v1/tenant", { headers: key });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    expect(refused.headers.get("retry-after")).toBe("720");
    expect(refused.headers.get("ratelimit-policy")).toBe('"api-key";q=5;w=3600');
    // Each key has its own budget.
    expect((await rest(app.url, "GET", "/v1/tenant", { headers: bearer(own.keys.test.secret.key) })).status).toBe(200);
  });

  it("puts a ceiling on a whole site's visitors, so rotating fingerprints does not help", async () => {
    const site = await signUpAccount(app.url, { allowedOrigins: ["https://shop.example.com"] });
    await trpcMutation(app.url, "settings.update", { input: { rateLimits: { tenantVisitorsPerMinute: 10 } }, headers: bearer(site.token) });
    const headers = (i: number) => ({ ...widget(`rotating-${i}`), "x-bizbot-key": site.keys.live.publishable.key });
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await trpcQuery(app.url, "widget.config", { headers: headers(i) })).status);
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/rate_limit_refusals_total\{limit="tenant-visitors"\} [1-9]/);
  });
});

describe.runIf(needsServices("rate limits across instances"))("limits across instances", () => {
  let a: App;
  let b: App;
  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it("counts a visitor's requests on both instances together", async () => {
    const account = await signUpAccount(a.url, { allowedOrigins: ["https://shop.example.com"] });
    const headers = {
      "x-bizbot-key": account.keys.live.publishable.key,
      origin: "https://shop.example.com",
      "x-bizbot-visitor": "fp-shared",
      "user-agent": "Mozilla/5.0",
    };
    let i = 0;
    const { allowed, elapsedMs } = await untilRefused(() => trpcQuery(i++ % 2 ? a.url : b.url, "widget.config", { headers }));
    // One budget across both instances: 100 and what the time taken earned back, not 100 on each.
    expect(allowed).toBeGreaterThanOrEqual(100);
    expect(allowed - 100).toBeLessThanOrEqual(earnedBy(elapsedMs, 100));
    expect((await trpcQuery(a.url, "widget.config", { headers })).status).toBe(429);
    expect((await trpcQuery(b.url, "widget.config", { headers })).status).toBe(429);
  });
});
