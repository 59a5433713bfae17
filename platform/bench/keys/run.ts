/**
 * Keys benchmark (`npm run bench` in platform/):
 *  1. KeyVerifier.verify on a cache hit, against a Map lookup + node:crypto SHA-256 of the same key (target: p99 <= 1 ms).
 *  2. GET /v1/tenant over HTTP, against a bare node:http server sending the same bytes (target: >= 50% of its req/s).
 * Both references are measured in the same run; only ratios (and the absolute p99 target) are judged.
 *
 * Knobs (env): BENCH_VERIFY_N (20000), BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (1), BENCH_CONCURRENCY (32), BENCH_ROUNDS (2),
 * BENCH_CLIENT (raw: a lean hand-written HTTP/1.1 client on keep-alive sockets, the default; agent: node:http with a
 * keep-alive http.Agent, which costs the generator so much CPU that it, not the reference server, sets the pace).
 */
import { createHash } from "node:crypto";
import { KeyVerifier } from "../../src/keys/verifier.ts";
import { parseKey } from "../../src/keys/format.ts";
import { sha256Hex } from "../../src/lib/crypto.ts";
import { provisionTenant } from "../../src/auth/service.ts";
import { startApp } from "../../src/main.ts";
import { testEnv } from "../../test/harness.ts";
import { fmt, LoadClient, machineLine, startReferenceServer, summarize, table, timeCalls, verdict, type ServerSideLoadResult, type Summary } from "../lib.ts";

const int = (name: string, fallback: number, max: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be an integer from 1 to ${max}`);
  return value;
};
const VERIFY_N = int("BENCH_VERIFY_N", 20_000, 1_000_000);
const SECONDS = int("BENCH_SECONDS", 5, 60);
const WARMUP_SECONDS = int("BENCH_WARMUP_SECONDS", 1, 30);
const CONCURRENCY = int("BENCH_CONCURRENCY", 32, 256);
const ROUNDS = int("BENCH_ROUNDS", 2, 10);
// The raw client by default: with node:http's client the generator, not the reference server, is the bottleneck.
const CLIENT: "agent" | "raw" = process.env.BENCH_CLIENT === "agent" ? "agent" : "raw";

const VERIFY_P99_TARGET_US = 1_000;
const THROUGHPUT_TARGET = 0.5;

async function main() {
  const env = testEnv({ LOG_LEVEL: "silent" });
  const app = await startApp(env);
  const client = new LoadClient();
  try {
    const { deps } = app;
    const mode = `${deps.database.kind === "postgres" ? "Postgres (DATABASE_URL)" : "embedded PGlite (in memory)"} + ${deps.redis ? "Redis (REDIS_URL)" : "in-process bus"}`;
    console.log(`Keys benchmark — ${new Date().toISOString()}`);
    console.log(`mode: ${mode}`);
    console.log(`machine: ${machineLine()} (shared; absolute times drift, the ratios are what count)\n`);

    const provisioned = await provisionTenant(
      deps.db,
      { name: "Bench Co", ownerEmail: `bench-${Date.now()}-${process.pid}@example.com`, modes: ["live"] },
      { type: "operator", id: null },
    );
    const secret = provisioned.keys.live!.secret.key;
    const tenantId = provisioned.tenant.id;
    // The load sends far more than the default 1,000 requests an hour; the limiter still runs on every request.
    await deps.settings.update({ type: "operator", id: null }, tenantId, { rateLimits: { secretKeyPerHour: 1_000_000 } });

    // 1. Verification on a cache hit.
    const first = await deps.keyVerifier.verify(secret);
    if (first?.tenantId !== tenantId) throw new Error("the fresh secret key does not verify");
    const verifySamples = await timeCalls(() => deps.keyVerifier.verify(secret), VERIFY_N);
    const floorMap = new Map([[sha256Hex(secret), first]]);
    const floorSamples = await timeCalls(async () => floorMap.get(createHash("sha256").update(secret).digest("hex")), VERIFY_N);
    const verify = summarize(verifySamples);
    const floor = summarize(floorSamples);

    // Where the cache-hit time goes: the pieces of verify() on their own, timed the same way (informational).
    const parts = {
      "parseKey (regex)": summarize(await timeCalls(() => parseKey(secret), VERIFY_N)),
      "sha256Hex (node:crypto hash)": summarize(await timeCalls(() => sha256Hex(secret), VERIFY_N)),
      "createHash sha256 (node:crypto)": summarize(await timeCalls(() => createHash("sha256").update(secret).digest("hex"), VERIFY_N)),
    };
    // And a miss, for scale: every call reads the database (informational).
    const uncached = new KeyVerifier(deps.db, deps.bus, deps.log, { cacheTtlMs: 0 });
    const miss = summarize(await timeCalls(() => uncached.verify(secret), 500, 50));

    const verifyRatio = verify.p50 / floor.p50;
    console.log(`1. KeyVerifier.verify(sk), cache hit — ${VERIFY_N.toLocaleString("en-US")} sequential awaited calls, after a warm-up`);
    console.log(
      table(
        ["", "p50 µs", "p99 µs", "mean µs", "max µs"],
        [
          row("verify (cache hit)", verify),
          row("reference: Map.get + node:crypto SHA-256", floor),
          ...Object.entries(parts).map(([name, s]) => row(`  part: ${name}`, s)),
          row("verify (cache miss, DB read; 500 calls)", miss),
        ],
      ),
    );
    console.log(`ratio verify/reference: p50 ${fmt(verifyRatio, 1)}x, p99 ${fmt(verify.p99 / floor.p99, 1)}x, mean ${fmt(verify.mean / floor.mean, 1)}x`);
    const verifyPass = verify.p99 <= VERIFY_P99_TARGET_US;
    console.log(`target p99 <= ${VERIFY_P99_TARGET_US} µs: ${fmt(verify.p99, 1)} µs -> ${verdict(verifyPass)}\n`);

    // 2. GET /v1/tenant throughput, against a bare node:http server sending the same bytes.
    const platformUrl = `${app.url}/v1/tenant`;
    const headers = { authorization: `Bearer ${secret}` };
    const probe = await fetch(platformUrl, { headers });
    const body = await probe.text();
    if (probe.status !== 200 || JSON.parse(body).id !== tenantId) throw new Error(`GET /v1/tenant answered ${probe.status}: ${body}`);
    const reference = await startReferenceServer(body, {
      // The platform's headers, with a request id of the same length (a fixed one: the reference runs no code).
      "X-Request-Id": "00000000-0000-4000-8000-000000000000",
      "Content-Type": probe.headers.get("content-type") ?? "application/json",
    });
    try {
      const load = { client: CLIENT, concurrency: CONCURRENCY, durationMs: SECONDS * 1_000, warmupMs: WARMUP_SECONDS * 1_000, headers };
      const runs: Array<{ target: "reference" | "platform"; round: number; result: ServerSideLoadResult }> = [];
      for (let round = 1; round <= ROUNDS; round++) {
        runs.push({ target: "reference", round, result: await client.run({ ...load, url: `${reference.url}/v1/tenant` }) });
        runs.push({ target: "platform", round, result: await client.run({ ...load, url: platformUrl }) });
      }
      const sampleOf = (target: string) => runs.find((r) => r.target === target)!.result.sample;
      for (const target of ["reference", "platform"]) {
        const sample = sampleOf(target);
        if (sample?.body !== body) throw new Error(`${target} served a different body: ${sample?.body}`);
      }
      const total = (target: string) => {
        const mine = runs.filter((r) => r.target === target).map((r) => r.result);
        const requests = mine.reduce((n, r) => n + r.requests, 0);
        const seconds = mine.reduce((n, r) => n + r.seconds, 0);
        const samples = new Float64Array(mine.reduce((n, r) => n + r.samples.length, 0));
        let at = 0;
        for (const r of mine) {
          samples.set(r.samples, at);
          at += r.samples.length;
        }
        const cpu = mine.reduce((n, r) => n + r.serverCpuUsPerRequest * r.requests, 0) / requests;
        const elu = mine.reduce((n, r) => n + r.serverElu * r.seconds, 0) / seconds;
        return { requests, rps: requests / seconds, latency: summarize(samples), errors: mine.reduce((n, r) => n + r.errors, 0), cpu, elu };
      };
      const ref = total("reference");
      const plat = total("platform");
      const ratio = plat.rps / ref.rps;

      console.log(
        `2. GET /v1/tenant over HTTP — ${CLIENT === "raw" ? "raw-socket client" : "node:http client (http.Agent)"}, ${CONCURRENCY} keep-alive connections on 127.0.0.1, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured, ` +
          `alternating reference/platform x${ROUNDS}`,
      );
      console.log(
        `   body ${Buffer.byteLength(body)} bytes; response headers: reference ${Object.keys(sampleOf("reference")!.headers).length}, ` +
          `platform ${Object.keys(sampleOf("platform")!.headers).length}`,
      );
      console.log(
        table(
          ["run", "req/s", "p50 µs", "p99 µs", "server CPU µs/req", "of which kernel", "server loop busy", "errors"],
          runs.map(({ target, round, result: r }) => [
            `${target} #${round}`,
            fmt(r.rps, 0),
            fmt(r.latency.p50, 0),
            fmt(r.latency.p99, 0),
            fmt(r.serverCpuUsPerRequest, 1),
            fmt(r.serverSysUsPerRequest, 1),
            `${fmt(r.serverElu * 100, 0)}%`,
            String(r.errors),
          ]),
        ),
      );
      console.log(
        `\nreference: ${fmt(ref.rps, 0)} req/s, p50 ${fmt(ref.latency.p50, 0)} µs, p99 ${fmt(ref.latency.p99, 0)} µs, server CPU ${fmt(ref.cpu, 1)} µs/req`,
      );
      console.log(
        `platform:  ${fmt(plat.rps, 0)} req/s, p50 ${fmt(plat.latency.p50, 0)} µs, p99 ${fmt(plat.latency.p99, 0)} µs, server CPU ${fmt(plat.cpu, 1)} µs/req`,
      );
      console.log(`ratio platform/reference throughput: ${fmt(ratio * 100, 1)}% (server CPU per request: ${fmt(plat.cpu / ref.cpu, 1)}x the reference's)`);
      console.log(`target >= ${THROUGHPUT_TARGET * 100}%: ${verdict(ratio >= THROUGHPUT_TARGET)}`);
      console.log(
        "note: the load generator is a separate Node process on the same 2 shared cores; it takes CPU from the server, " +
          "most of all against the cheap reference, which compresses the ratio towards 100%.",
      );
      if (ref.elu < 0.8) {
        console.log(
          `warning: the reference server was busy only ${fmt(ref.elu * 100, 0)}% of the time: the load generator, not the server, ` +
            "limited it, so the throughput ratio overstates the platform. The server-CPU-per-request ratio is the better guide; " +
            (CLIENT === "agent" ? "the default raw client (unset BENCH_CLIENT) is leaner." : "the machine may be busy with other work."),
        );
      }
      if (ref.errors || plat.errors) console.log(`warning: errors — reference ${ref.errors}, platform ${plat.errors}`);
    } finally {
      await reference.close();
    }
  } finally {
    client.close();
    await app.close(1_000);
  }
}

function row(name: string, s: Summary): string[] {
  return [name, fmt(s.p50, 2), fmt(s.p99, 2), fmt(s.mean, 2), fmt(s.max, 0)];
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
