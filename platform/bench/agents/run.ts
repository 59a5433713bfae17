/**
 * Agents benchmark (`npm run bench:agents` in platform/): what the run engine costs around the model, and what each
 * agent's model calls cost against its price.
 *
 * Engine. The scripted Anthropic server (packages/testing) answers at once; it and the client run in this process,
 * so one clock times both, while the platform runs in child processes (platform.ts). For each deployment shape,
 *   - inline: one `bizbot serve` that works the queue itself (the quick start's shape);
 *   - worker: a `bizbot serve` that only queues, and a `bizbot worker` (needs DATABASE_URL and REDIS_URL);
 * it measures
 *   1. submissions per second: clients POST /v1/agents/ticket-resolver/runs?wait=0 (each with a new ticket, so that
 *      none is a cache hit) for BENCH_SECONDS, BENCH_CLIENTS at a time; the engine works the runs meanwhile;
 *   2. end to end, one run at a time: from POST ...?wait=30 until the finished run comes back, p50 and p99, against
 *      the model's own time in the same run (from the model server receiving each call to its last byte): the
 *      engine's overhead per run is the difference, and its ratio to the model's time is the result to compare.
 * Cost. Each agent once, on a typical input, with the model server answering at a typical size (strings of a
 * sentence or two, lists of three; anthropic-format.ts), priced from the usage it reports: the model's dollars per
 * run against the price the tenant pays and the cap the engine enforces (half the price).
 * Knobs (env): BENCH_RUNS (100 sequential runs), BENCH_SECONDS (5), BENCH_CLIENTS (16), DATABASE_URL, REDIS_URL.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { agents, CREDIT_PRICE_USD, type RunView } from "@bizbot/shared";
import { type AnthropicStandIn, startAnthropicStandIn } from "@bizbot/testing";
import { fmt, machineLine, summarize, table } from "../lib.ts";
import { DATA_REVIEW, TYPICAL, WORKFLOW_PLAN } from "./inputs.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const platformScript = fileURLToPath(new URL("./platform.ts", import.meta.url));
const prefix = `bizbot-bench-${process.pid}:`;

interface Platform {
  url: string;
  key: string;
  mode: string;
}

console.log(`Agents benchmark — ${new Date().toISOString()}`);
console.log(
  `${machineLine()}; database: ${process.env.DATABASE_URL ? "PostgreSQL" : "embedded (PGlite)"}; ${RUNS} sequential runs, ${SECONDS} s of submissions by ${CLIENTS} clients\n`,
);

const fast = await startAnthropicStandIn();
try {
  const shapes: Array<["inline" | "worker", boolean]> = [["inline", true]];
  if (process.env.DATABASE_URL && process.env.REDIS_URL) shapes.push(["worker", false]);
  else console.log("(the separate-worker shape needs DATABASE_URL and REDIS_URL; skipped)\n");
  const rows: string[][] = [];
  for (const [shape, serverRunsJobs] of shapes) rows.push(await engine(shape, serverRunsJobs, fast));
  console.log(
    table(["shape", "submissions/s", "e2e p50 ms", "e2e p99 ms", "model p50 ms", "overhead p50 ms", "overhead p99 ms", "overhead / model (p50)"], rows),
  );
} finally {
  await fast.close();
}

const typical = await startAnthropicStandIn({ examples: "typical" });
try {
  await cost(typical);
} finally {
  await typical.close();
}

async function engine(shape: "inline" | "worker", serverRunsJobs: boolean, model: AnthropicStandIn): Promise<string[]> {
  const children: ChildProcess[] = [];
  try {
    const [platform, child] = await spawn<Platform>(["serve", model.url, serverRunsJobs ? "1" : "0"]);
    children.push(child);
    if (!serverRunsJobs) children.push((await spawn(["worker", model.url]))[1]);

    // Warm up: JIT, connections, the queue's first jobs.
    for (let i = 0; i < 10; i++) await submit(platform, `warm-up ticket ${i}`, 30);

    // 1. Submissions per second, the runs worked meanwhile.
    let accepted = 0;
    let refused = 0;
    const deadline = Date.now() + SECONDS * 1000;
    let n = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (Date.now() < deadline) {
          const res = await submit(platform, `${shape} load ticket ${n++}`, 0);
          if (res.status === 202 || res.status === 200) accepted++;
          else refused++;
        }
      }),
    );
    const perSecond = accepted / SECONDS;
    if (refused) console.log(`${shape}: ${refused} submissions refused`);
    await drain(platform);

    // 2. One run at a time, end to end, against the model's own time.
    const e2e: number[] = [];
    const modelMs: number[] = [];
    const overhead: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const first = model.requests.length;
      const started = performance.now();
      const res = await submit(platform, `${shape} timed ticket ${i}`, 30);
      const total = performance.now() - started;
      if (res.body.status !== "succeeded") throw new Error(`run ${res.body.id} ended ${res.body.status}: ${JSON.stringify(res.body.error)}`);
      let own = 0;
      for (let r = first; r < model.requests.length; r++) own += (model.responses[r]!.endedAt ?? performance.now()) - model.requests[r]!.receivedAt;
      e2e.push(total);
      modelMs.push(own);
      overhead.push(total - own);
    }
    const [t, m, o] = [summarize(e2e), summarize(modelMs), summarize(overhead)];
    return [shape, fmt(perSecond, 0), fmt(t.p50), fmt(t.p99), fmt(m.p50), fmt(o.p50), fmt(o.p99), `${fmt(o.p50 / m.p50)}x`];
  } finally {
    for (const child of children) child.disconnect();
    await Promise.all(children.map((c) => new Promise((r) => c.once("exit", r))));
  }
}

async function cost(model: AnthropicStandIn) {
  const [platform, child] = await spawn<Platform>(["serve", model.url, "1"]);
  try {
    const rows: string[][] = [];
    for (const agent of agents) {
      // Answers that must name what only the input holds (agents, fields) are written out; the rest are filled to size.
      if (agent.id === "workflow-orchestrator") model.script(JSON.stringify(WORKFLOW_PLAN));
      if (agent.id === "data-processor") model.script(JSON.stringify(DATA_REVIEW));
      const res = await post(platform, `/v1/agents/${agent.id}/runs?wait=60`, { input: TYPICAL[agent.id] });
      const run = res.body;
      const price = agent.credits * CREDIT_PRICE_USD;
      const usd = run.usage?.costUsd ?? Number.NaN;
      rows.push([
        agent.id,
        run.status === "succeeded" ? String(run.usage.modelCalls) : `${run.status}: ${(run.error?.message ?? String(res.status)).slice(0, 60)}`,
        fmt(run.usage?.inputTokens + run.usage?.cacheWriteTokens + run.usage?.cacheReadTokens, 0),
        fmt(run.usage?.outputTokens, 0),
        `$${fmt(usd, 4)}`,
        `$${fmt(price, 2)}`,
        `${fmt((usd / price) * 100)} %`,
        `$${fmt(price / 2, 2)}`,
      ]);
    }
    console.log(
      `\nModel dollars per typical run, at ${process.env.ANTHROPIC_MODEL ?? "claude-sonnet-5-5"} prices (the workflow's own calls only: its steps are runs of their own)`,
    );
    console.log(table(["agent", "model calls", "input tokens", "output tokens", "model $", "price", "model / price", "cap (half the price)"], rows));
  } finally {
    child.disconnect();
    await new Promise((r) => child.once("exit", r));
  }
}

function submit(platform: Platform, ticket: string, wait: number) {
  return post(platform, `/v1/agents/ticket-resolver/runs?wait=${wait}`, {
    input: { ticket: `${ticket}: where is my parcel, and when will my refund arrive?` },
  });
}

async function post(platform: Platform, path: string, body: unknown): Promise<{ status: number; body: RunView }> {
  const res = await fetch(`${platform.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${platform.key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as RunView };
}

/** Waits until no run of the tenant is queued or running. */
async function drain(platform: Platform) {
  for (;;) {
    const res = await fetch(`${platform.url}/v1/runs?limit=100`, { headers: { authorization: `Bearer ${platform.key}` } });
    const { runs } = (await res.json()) as { runs: RunView[] };
    if (runs.every((r) => r.status === "succeeded" || r.status === "failed")) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function spawn<T>(args: string[]): Promise<[T, ChildProcess]> {
  const child = fork(platformScript, args, { stdio: "inherit", env: { ...process.env, BENCH_REDIS_PREFIX: prefix } });
  return new Promise((resolve, reject) => {
    child.once("message", (message) => resolve([message as T, child]));
    child.once("exit", (code) => reject(new Error(`bench/agents/platform.ts ${args[0]} exited (code ${code})`)));
  });
}
