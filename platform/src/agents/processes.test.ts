import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { RunEvent, RunView } from "@bizbot/shared";
import { type AnthropicStandIn, bearer, readEvents, rest, signUpAccount, startAnthropicStandIn, type TestAccount } from "@bizbot/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { needsServices } from "../../test/harness.ts";
import { getBalance, grant } from "../credits/service.ts";
import { openDatabase, type Database } from "../db/client.ts";
import { createMetrics } from "../lib/metrics.ts";

// The deployment the README describes: two `bizbot serve` instances that only queue jobs, and a `bizbot worker`
// that runs them, over one Postgres and one Redis. Real processes, so a worker can be killed mid-run.

const bin = fileURLToPath(new URL("../../bin/bizbot.js", import.meta.url));
const enabled = needsServices("agents across processes (two servers, a worker)");

interface Process {
  child: ChildProcess;
  url: string | null;
  log: string[];
}

const processes: Process[] = [];
let model: AnthropicStandIn;
let database: Database;
let servers: Process[];
let account: TestAccount;

/** Starts `bizbot <command>`; resolves once a server listens (with its URL) or a worker runs. */
function start(command: "serve" | "worker", extra: Record<string, string> = {}): Promise<Process> {
  const child = spawn(process.execPath, [bin, command], {
    env: {
      ...process.env,
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
      DEMO_TENANT: "0",
      HOUSE_TENANT: "0",
      ANTHROPIC_API_KEY: "test-key",
      ANTHROPIC_BASE_URL: model.url,
      AGENT_TIMEOUT_SECONDS: "3",
      REDIS_KEY_PREFIX: `bizbot-processes-${process.pid}:`,
      ...extra,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const proc: Process = { child, url: null, log: [] };
  processes.push(proc);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bizbot ${command} did not start:\n${proc.log.join("")}`)), 60_000);
    const read = (chunk: Buffer) => {
      const text = chunk.toString();
      proc.log.push(text);
      const url = /"url":"(http:\/\/[^"]+)"/.exec(text)?.[1];
      if (url) proc.url = url;
      if (url || /worker running/.test(text)) {
        clearTimeout(timer);
        resolve(proc);
      }
    };
    child.stdout!.on("data", read);
    child.stderr!.on("data", read);
    child.once("exit", (code) => reject(new Error(`bizbot ${command} exited with ${code}:\n${proc.log.join("")}`)));
  });
}

const answer = JSON.stringify({
  category: "shipping",
  urgency: "normal",
  sentiment: "neutral",
  summary: "Asks where the parcel is.",
  reply: "Parcels arrive within a week.",
  nextSteps: ["Send the tracking link"],
  needsHuman: false,
});

describe.runIf(enabled)("agents across processes", () => {
  beforeAll(async () => {
    model = await startAnthropicStandIn();
    database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: "memory://" });
    // The servers only queue: every run must go through the worker.
    servers = await Promise.all([start("serve", { SERVE_JOBS: "0" }), start("serve", { SERVE_JOBS: "0" })]);
    await start("worker");
    account = await signUpAccount(servers[0]!.url!);
    await grant(
      { db: database.db, metrics: createMetrics() },
      { tenantId: account.tenant.id, idempotencyKey: "seed", actor: { type: "system", id: null } },
      30,
      "seed",
    );
  }, 120_000);
  afterAll(async () => {
    for (const { child } of processes) if (child.exitCode === null) child.kill("SIGKILL");
    await database?.close();
    await model?.close();
  });

  const secret = () => bearer(account.keys.live.secret.key);

  it("queues a run on one server, works it on the worker, and streams its events from the other server", async () => {
    // A report streams its text as it is written: those events exist only on the bus, never in the database.
    const report = "## Executive summary\nSales grew in March.\n\n## Details\nMarch was the best month of the quarter.";
    model.script({ kind: "text", text: report.split(/(?<= )/), firstTokenDelayMs: 1500, tokenDelayMs: 20 });
    const queued = await rest<RunView>(servers[0]!.url!, "POST", "/v1/agents/report-generator/runs?wait=0", {
      headers: secret(),
      body: { input: { notes: "Quarterly sales", data: "month,sales\nJan,10\nFeb,12\nMar,20" } },
    });
    expect(queued.status).toBe(202);
    // Its events, read on the other instance: they cross from the worker through Redis.
    const res = await fetch(`${servers[1]!.url}/trpc/agents.events?input=${encodeURIComponent(JSON.stringify({ runId: queued.body.id }))}`, {
      headers: { ...bearer(account.token), accept: "text/event-stream" },
      signal: AbortSignal.timeout(20_000),
    });
    const events = await readEvents<RunEvent>(res, (event) => event.type === "succeeded" || event.type === "failed");
    const streamed = events.flatMap((e) => (e.type === "output" ? [e.delta] : [])).join("");
    expect(streamed).toBe(report);
    expect(events.at(-1)).toMatchObject({ type: "succeeded", run: { id: queued.body.id, creditsCharged: 5 } });
    const read = await rest<RunView>(servers[0]!.url!, "GET", `/v1/runs/${queued.body.id}`, { headers: secret() });
    expect(read.body.status).toBe("succeeded");
  });

  it("takes over a run whose worker was killed mid-run, and charges it once", async () => {
    const before = await getBalance(database.db, account.tenant.id);
    // The model never answers the first attempt: the worker is waiting on it when it is killed.
    model.script({ kind: "hang" }, answer);
    const asked = model.requests.length;
    const queued = await rest<RunView>(servers[0]!.url!, "POST", "/v1/agents/ticket-resolver/runs?wait=0", {
      headers: secret(),
      body: { input: { ticket: "Is my order lost?" } },
    });
    await until(async () => model.requests.length > asked);
    const worker = processes.find((p) => !p.url && p.child.exitCode === null)!;
    worker.child.kill("SIGKILL");
    await new Promise((resolve) => worker.child.once("exit", resolve));
    await start("worker");
    const finished = await pollRun(servers[1]!.url!, queued.body.id);
    expect(finished).toMatchObject({ status: "succeeded", creditsCharged: 3 });
    const row = await database.db.selectFrom("agent_runs").select(["attempts"]).where("id", "=", queued.body.id).executeTakeFirstOrThrow();
    expect(row.attempts).toBe(2);
    expect(await getBalance(database.db, account.tenant.id)).toEqual({ balance: before.balance - 3, held: 0, available: before.balance - 3 });
  }, 90_000);
});

async function pollRun(url: string, runId: string): Promise<RunView> {
  let run: RunView | undefined;
  await until(async () => {
    run = (await rest<RunView>(url, "GET", `/v1/runs/${runId}`, { headers: bearer(account.keys.live.secret.key) })).body;
    return run.status === "succeeded" || run.status === "failed";
  });
  return run!;
}

async function until(check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}
