import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { openDatabase, type Database } from "./db/client.ts";
import { migrateToLatest } from "./db/migrate.ts";
import type { Deps } from "./deps.ts";
import type { Env } from "./env.ts";
import { createMetrics } from "./lib/metrics.ts";
import { createRequestListener } from "./http/server.ts";
import { KeyVerifier, type KeyVerifierOptions } from "./keys/verifier.ts";
import { createLogger } from "./log.ts";
import { createMemoryLimiter, createRedisLimiter } from "./ratelimit/limiter.ts";
import { createMemoryBus, createRedisBus, type Bus } from "./redis/bus.ts";
import { expireHolds } from "./credits/repository.ts";
import { ensureSecret } from "./db/secrets.ts";
import { SettingsStore } from "./tenants/settings.ts";
import { loadDenyList } from "./trials/identity.ts";
import { createBullmqQueue, createInlineQueue, type JobHandlers } from "./jobs/queue.ts";
import { createEmbeddingProvider } from "./knowledge/embeddings.ts";
import { ingestDocument, resumeIngestion } from "./knowledge/ingest.ts";
import { SemanticIndex } from "./knowledge/semantic.ts";
import { createQdrantIndex } from "./knowledge/vectors.ts";
import { LlmGateway } from "./llm/gateway.ts";
import { RunEvents } from "./agents/events.ts";
import { StripeClient } from "./billing/stripe.ts";
import { runDueTopUps } from "./billing/top-up.ts";
import { executeRun, sweepRuns } from "./agents/runner.ts";
import { DEFAULT_FETCH_POLICY } from "./lib/ssrf.ts";
import { OutboxSender } from "./notifications/outbox.ts";
import { RetentionSweeper } from "./retention/sweeper.ts";
import { WidgetAssets } from "./widget/assets.ts";
import { WidgetConfigs } from "./widget/config.ts";

export interface BuildOptions {
  log?: Logger;
  /** Share an already open database (two instances over one embedded database, in tests). */
  database?: Database;
  keyVerifier?: KeyVerifierOptions;
  /** false: queue jobs but run none here (the CLI, which exits at once); a server or worker runs them. */
  runJobs?: boolean;
  /** The widget build's folder (default widget/dist); tests give one of fixtures. */
  widgetDir?: string;
}

/** Builds every adapter and service once, from the environment: the composition root. */
export async function buildDeps(env: Env, options: BuildOptions = {}): Promise<Deps> {
  const log = options.log ?? createLogger(env.LOG_LEVEL);
  const database = options.database ?? (await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR }));
  const applied = await migrateToLatest(database.db);
  if (applied.length) log.info({ migrations: applied }, "applied migrations");

  let redis: Redis | null = null;
  let bus: Bus = createMemoryBus();
  let limiter = createMemoryLimiter();
  if (env.REDIS_URL) {
    // Fail fast while Redis is away: callers fall back (limits) or bypass (caches) rather than queue and wait.
    redis = new Redis(env.REDIS_URL, {
      keyPrefix: env.REDIS_KEY_PREFIX,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    redis.on("error", (error) => log.warn({ err: error }, "redis error"));
    await redis.connect();
    bus = createRedisBus(redis);
    let lastWarned = 0;
    limiter = createRedisLimiter(redis, (error) => {
      if (Date.now() - lastWarned > 10_000) {
        lastWarned = Date.now();
        log.warn({ err: error }, "rate limits fell back to this instance's counters");
      }
    });
  }
  const keyVerifier = new KeyVerifier(database.db, bus, log, options.keyVerifier);
  await keyVerifier.start();
  const fetchPolicy = { ...DEFAULT_FETCH_POLICY, allowPrivate: env.ALLOW_PRIVATE_FETCH };
  const settings = new SettingsStore(database.db, bus, fetchPolicy);
  await settings.start();
  const semantic = semanticIndex(env, log);
  const metrics = createMetrics();
  const llm = env.ANTHROPIC_API_KEY
    ? new LlmGateway({ apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL, model: env.ANTHROPIC_MODEL, log, metrics })
    : null;
  // The handlers need the whole of deps (agent runs use most of it), which needs the queue: they read it once built.
  let built: Deps | undefined;
  const handlers: JobHandlers = {
    ingest: (job, attempt) => ingestDocument({ db: database.db, semantic, log }, job, attempt),
    agentRun: (job) => executeRun(built!, job.runId),
  };
  const runJobs = options.runJobs !== false;
  const queueOptions = { run: runJobs, concurrency: { ingest: 2, agentRun: env.AGENT_CONCURRENCY } };
  const jobs = env.DATABASE_URL ? createBullmqQueue(env.DATABASE_URL, handlers, log, queueOptions) : createInlineQueue(handlers, log, queueOptions);
  const runEvents = new RunEvents(bus, log);
  await runEvents.start();
  const widgetAssets = new WidgetAssets(options.widgetDir);
  built = {
    env,
    database,
    db: database.db,
    redis,
    bus,
    limiter,
    keyVerifier,
    log,
    metrics,
    settings,
    visitorSecret: await ensureSecret(database.db, "visitor_hash_key"),
    trialPolicy: { denyList: loadDenyList(env.TRIAL_DENY_CIDRS_FILE), networkDailyCap: env.TRIAL_NETWORK_DAILY_CAP },
    semantic,
    llm,
    fetchPolicy,
    outbox: new OutboxSender(database.db, log, { smtpUrl: env.SMTP_URL, from: env.SMTP_FROM, fetchPolicy }),
    jobs,
    runEvents,
    agentTimeoutSeconds: env.AGENT_TIMEOUT_SECONDS,
    widgetAssets,
    widgetConfigs: new WidgetConfigs(widgetAssets, env.PUBLIC_URL),
    stripe: env.STRIPE_SECRET_KEY ? new StripeClient(env.STRIPE_SECRET_KEY, env.STRIPE_API_URL) : null,
  };
  return built;
}

function semanticIndex(env: Env, log: Logger): SemanticIndex | null {
  if (!env.EMBEDDINGS_URL || !env.QDRANT_URL) {
    if (env.EMBEDDINGS_URL || env.QDRANT_URL) log.warn("semantic search needs both EMBEDDINGS_URL and QDRANT_URL; searching with BM25 alone");
    return null;
  }
  return new SemanticIndex(
    createEmbeddingProvider({ provider: env.EMBEDDINGS_PROVIDER, url: env.EMBEDDINGS_URL, apiKey: env.EMBEDDINGS_API_KEY, model: env.EMBEDDINGS_MODEL }),
    createQdrantIndex({ url: env.QDRANT_URL, apiKey: env.QDRANT_API_KEY, model: env.EMBEDDINGS_MODEL }),
    log,
    env.EMBEDDINGS_MIN_SIMILARITY,
  );
}

/** Closes what buildDeps opened: jobs and the outbox first (they use the database), then the bus, Redis and the database. */
export async function closeDeps(deps: Deps, options: { keepDatabase?: boolean } = {}): Promise<void> {
  await deps.jobs.close();
  await deps.outbox.close();
  await deps.bus.close();
  deps.redis?.disconnect();
  if (!options.keepDatabase) await deps.database.close();
}

const HOLD_SWEEP_MS = 10_000;
const RUN_SWEEP_MS = 15_000;
const INGESTION_SWEEP_MS = 60_000;
/** How soon after a balance falls under its auto top-up threshold the top-up is bought. */
const TOP_UP_SWEEP_MS = 15_000;
/** A document still processing after this long has lost its job (or is in a long queue; queueing it again is harmless). */
const INGESTION_STALL_MS = 5 * 60_000;

/**
 * The sweepers every instance runs, server or worker, and the outbox's sender: expired holds go back to the
 * balance, documents and runs whose jobs a stopped process took with it are queued again. Several instances may
 * sweep at once (row locks and claims decide). With Stripe, auto top-ups that are due are bought. With `retention`
 * (processes that work jobs: `serve` with SERVE_JOBS, and `worker`), also the retention sweep. Returns what stops them.
 */
export async function startBackground(deps: Deps, options: { retention?: boolean } = {}): Promise<() => Promise<void>> {
  const every = (ms: number, what: string, work: () => Promise<unknown>) => {
    const timer = setInterval(() => {
      work().catch((error) => deps.log.warn({ err: error }, `${what} failed`));
    }, ms);
    timer.unref();
    return timer;
  };
  const resume = (olderThan: Date) => resumeIngestion(deps.db, deps.jobs, olderThan);
  await resume(new Date()).catch((error) => deps.log.warn({ err: error }, "resuming ingestion failed"));
  deps.outbox.start();
  const retention = options.retention === false ? null : new RetentionSweeper(deps.db, deps.log);
  retention?.start();
  const timers = [
    every(HOLD_SWEEP_MS, "hold sweep", () => expireHolds(deps.db, 500)),
    every(INGESTION_SWEEP_MS, "resuming ingestion", () => resume(new Date(Date.now() - INGESTION_STALL_MS))),
    every(deps.env.NODE_ENV === "test" ? 1000 : RUN_SWEEP_MS, "run sweep", () => sweepRuns(deps)),
  ];
  const stripe = deps.stripe;
  if (stripe) timers.push(every(TOP_UP_SWEEP_MS, "auto top-up", () => runDueTopUps({ ...deps, stripe })));
  return async () => {
    for (const timer of timers) clearInterval(timer);
    await retention?.close();
  };
}

export interface App {
  deps: Deps;
  server: Server;
  url: string;
  /** Stops taking requests, lets those in flight finish (up to `graceMs`), then closes every connection. */
  close(graceMs?: number): Promise<void>;
}

export async function startApp(env: Env, options: BuildOptions = {}): Promise<App> {
  const deps = await buildDeps(env, options);
  // The widget streams a reply over EventSource, a GET whose URL carries the message: 4,000 characters of CJK text
  // percent-encode to 36 KB, past Node's default 16 KB header limit, which would answer 431 before any of our code.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, createRequestListener(deps));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const stopBackground = await startBackground(deps, { retention: options.runJobs !== false });
  const host = env.HOST === "0.0.0.0" || env.HOST === "::" ? "localhost" : env.HOST;
  let closing: Promise<void> | undefined;
  return {
    deps,
    server,
    url: `http://${host}:${port}`,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const backgroundStopped = stopBackground();
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        // Keep-alive connections turn idle as their last response ends; close each as soon as it does.
        const idleSweeper = setInterval(() => server.closeIdleConnections(), 50);
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await drained;
        clearInterval(idleSweeper);
        clearTimeout(timer);
        await backgroundStopped;
        await closeDeps(deps, { keepDatabase: Boolean(options.database) });
      })();
      return closing;
    },
  };
}

export interface Worker {
  deps: Deps;
  close(): Promise<void>;
}

/** `bizbot worker`: the job queue and the sweepers in a process of its own, serving no HTTP. */
export async function startWorker(env: Env, options: Omit<BuildOptions, "runJobs"> = {}): Promise<Worker> {
  const deps = await buildDeps(env, { ...options, runJobs: true });
  const stopBackground = await startBackground(deps);
  let closing: Promise<void> | undefined;
  return {
    deps,
    close() {
      closing ??= (async () => {
        await stopBackground();
        await closeDeps(deps, { keepDatabase: Boolean(options.database) });
      })();
      return closing;
    },
  };
}
