import { parseArgs } from "node:util";
import { creditAmount, keyKind } from "@bizbot/shared";
import { reconcile, syncPrices } from "./billing/sync.ts";
import { getBalance, grant } from "./credits/service.ts";
import { randomToken } from "./lib/crypto.ts";
import { provisionTenant } from "./auth/service.ts";
import { DatabaseLockedError, openDatabase } from "./db/client.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { ensureDemoTenant } from "./demo.ts";
import { ensureHouseTenant } from "./house.ts";
import { EnvError, parseEnv, type Env } from "./env.ts";
import { DomainError } from "./errors.ts";
import { createKey, revokeKeyByOperator } from "./keys/service.ts";
import { createLogger } from "./log.ts";
import { describeNotification, listOutbox, type OutboxStatus } from "./notifications/listing.ts";
import { buildDeps, closeDeps, startApp, startWorker } from "./main.ts";
import { getTenant } from "./tenants/service.ts";
import pino, { type Logger } from "pino";

const USAGE = `bizbot: the BizBot operator CLI

  bizbot migrate                                   apply pending database migrations
  bizbot serve                                     run the platform (HTTP API) on PORT; it works the job
                                                   queue too, unless SERVE_JOBS=0
  bizbot worker                                    work the job queue (agent runs, indexing, e-mail) with no
                                                   HTTP; needs DATABASE_URL
  bizbot tenant create --name N --owner-email E [--owner-password P] [--json]
                                                   create a tenant and a live key pair
  bizbot keys create --tenant T --kind secret|publishable [--origins a,b] [--mode live|test] [--json]
  bizbot keys revoke --key K                       K is the key id (key_…) or the key itself
  bizbot credits grant --tenant T --amount N --reason R [--idempotency-key K] [--json]
  bizbot credits balance --tenant T [--json]
  bizbot stripe sync [--json]                      create the Stripe prices of the credit packages and plans
                                                   that are missing (found by lookup key); safe to run again
  bizbot stripe reconcile [--since 3d] [--json]    read Stripe's events since then (m, h or d) and apply any
                                                   the webhook missed; what was applied is skipped
  bizbot outbox list [--status pending|sent|failed|all] [--limit N] [--json]
                                                   e-mails and webhooks in the outbox, newest first (e-mails
                                                   wait there until SMTP_URL is set)

Configuration comes from the environment (see .env.example).`;

class UsageError extends Error {}

const operator = { type: "operator" as const, id: null };

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandLine(argv);
  const command = positionals.join(" ");
  if (values.help || !command) return void console.log(USAGE);
  const env = parseEnv();

  switch (command) {
    case "migrate": {
      const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
      try {
        const applied = await migrateToLatest(database.db);
        console.log(applied.length ? `Applied ${applied.join(", ")}` : "Database is up to date");
      } finally {
        await database.close();
      }
      return;
    }
    case "serve":
      return serve(env);
    case "worker":
      return worker(env);
    case "tenant create": {
      const name = required(values.name, "--name");
      const ownerEmail = required(values["owner-email"], "--owner-email");
      return withDeps(env, async (deps) => {
        const created = await provisionTenant(deps.db, { name, ownerEmail, ownerPassword: values["owner-password"], modes: ["live"] }, operator);
        const pair = created.keys.live!;
        const result = {
          tenantId: created.tenant.id,
          name: created.tenant.name,
          owner: {
            id: created.owner.id,
            email: created.owner.email,
            ...(created.owner.generatedPassword ? { password: created.owner.generatedPassword } : {}),
          },
          publishableKey: pair.publishable.key,
          secretKey: pair.secret.key,
        };
        print(values.json, result, [
          `Tenant ${result.tenantId} (${result.name}) created; owner ${result.owner.email}`,
          ...(result.owner.password ? [`Owner password (shown once): ${result.owner.password}`] : []),
          `Publishable key: ${result.publishableKey}`,
          `Secret key (shown once): ${result.secretKey}`,
        ]);
      });
    }
    case "keys create": {
      const tenantId = required(values.tenant, "--tenant");
      const kind = keyKind.safeParse(values.kind);
      if (!kind.success) throw new UsageError("--kind must be secret or publishable");
      if (values.mode !== "live" && values.mode !== "test") throw new UsageError("--mode must be live or test");
      const mode = values.mode;
      const allowedOrigins = values.origins
        ?.split(",")
        .map((o) => o.trim())
        .filter(Boolean);
      return withDeps(env, async (deps) => {
        await getTenant(deps.db, tenantId);
        const key = await createKey(deps, operator, tenantId, { kind: kind.data, mode, allowedOrigins });
        print(values.json, { tenantId, ...key }, [`Key ${key.id} created (${key.kind}, ${key.mode})`, `Key (shown once): ${key.key}`]);
      });
    }
    case "keys revoke": {
      const key = required(values.key, "--key");
      return withDeps(env, async (deps) => {
        const revoked = await revokeKeyByOperator(deps, key);
        print(values.json, revoked, [`Key ${revoked.id} (${revoked.prefix}…) of tenant ${revoked.tenantId} revoked`]);
      });
    }
    case "credits grant": {
      const tenantId = required(values.tenant, "--tenant");
      const amount = creditAmount.safeParse(Number(values.amount));
      if (!amount.success) throw new UsageError("--amount must be a whole number of credits from 1 to 100,000,000");
      const reason = required(values.reason, "--reason");
      // A retried command with the same key grants once; without one, each run is a new grant.
      const idempotencyKey = values["idempotency-key"] ?? `cli-${randomToken(10)}`;
      return withDeps(env, async (deps) => {
        await getTenant(deps.db, tenantId);
        const result = await grant(deps, { tenantId, idempotencyKey, actor: operator }, amount.data, reason);
        print(values.json, { tenantId, idempotencyKey, ...result }, [
          `Granted ${amount.data} credits to ${tenantId} (${reason}); balance ${result.balance}, available ${result.available}`,
        ]);
      });
    }
    case "credits balance": {
      const tenantId = required(values.tenant, "--tenant");
      return withDeps(env, async (deps) => {
        await getTenant(deps.db, tenantId);
        const balance = await getBalance(deps.db, tenantId);
        print(values.json, { tenantId, ...balance }, [`${tenantId}: balance ${balance.balance}, held ${balance.held}, available ${balance.available}`]);
      });
    }
    case "stripe sync":
      requireStripe(env);
      return withDeps(env, async (deps) => {
        const result = await syncPrices(deps.stripe!);
        print(values.json, result, [
          result.created.length ? `Created prices: ${result.created.join(", ")}` : "No price was missing",
          ...(result.replaced.length ? [`Moved to new prices (the old amount or interval differed): ${result.replaced.join(", ")}`] : []),
          ...(result.existing.length ? [`Already there: ${result.existing.join(", ")}`] : []),
        ]);
      });
    case "stripe reconcile": {
      const since = new Date(Date.now() - durationMs(values.since ?? "3d"));
      requireStripe(env);
      return withDeps(env, async (deps) => {
        const stripe = deps.stripe!;
        const progress = (done: number, total: number) => {
          if (!values.json && (done % 100 === 0 || done === total)) console.error(`applied ${done} of ${total} events`);
        };
        const result = await reconcile({ ...deps, stripe }, since, progress);
        print(values.json, { since: since.toISOString(), ...result }, [
          `Read ${result.read} events since ${since.toISOString()}: ${result.applied} applied now, ${result.duplicate} already applied, ${result.deferred} deferred (their payment is not recorded yet)`,
        ]);
      });
    }
    case "outbox list": {
      const status = values.status ?? "pending";
      if (!["pending", "sent", "failed", "all"].includes(status)) throw new UsageError("--status must be pending, sent, failed or all");
      const limit = Number(values.limit ?? 20);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError("--limit must be a whole number from 1 to 1000");
      return withDeps(env, async (deps) => {
        const rows = await listOutbox(deps.db, status as OutboxStatus | "all", limit);
        if (values.json) return print(true, { notifications: rows }, []);
        if (rows.length === 0) return void console.log(`No ${status === "all" ? "" : `${status} `}notifications`);
        console.log(rows.map(describeNotification).join("\n\n"));
      });
    }
    default:
      throw new UsageError(`Unknown command "${command}"`);
  }
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: "string" },
        "owner-email": { type: "string" },
        "owner-password": { type: "string" },
        tenant: { type: "string" },
        kind: { type: "string" },
        mode: { type: "string", default: "live" },
        origins: { type: "string" },
        key: { type: "string" },
        amount: { type: "string" },
        reason: { type: "string" },
        "idempotency-key": { type: "string" },
        since: { type: "string" },
        status: { type: "string" },
        limit: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    // parseArgs explains itself ("Unknown option '--x'", an option missing its value); show that, not a stack.
    throw new UsageError((error as Error).message);
  }
}

async function serve(env: Env) {
  const app = await startApp(env, { runJobs: env.SERVE_JOBS });
  const demo = env.DEMO_TENANT ? await ensureDemoTenant(app.deps) : null;
  if (env.HOUSE_TENANT) {
    // In the background: the server answers meanwhile, and the bot knows more as each document lands.
    ensureHouseTenant(app.deps).then(
      (house) => app.deps.log.info(house, "house tenant's knowledge base is up to date"),
      (error) => app.deps.log.warn({ err: error }, "could not bring the house tenant's knowledge base up to date"),
    );
  }
  app.deps.log.info({ url: app.url, database: app.deps.database.kind, redis: app.deps.redis ? "redis" : "embedded" }, "platform listening");
  if (demo) {
    console.log(
      [
        "",
        "  A demo tenant was created (shown once, keep what you need):",
        `    tenant            ${demo.tenantId}`,
        `    owner             ${demo.ownerEmail}${demo.ownerPassword ? ` / ${demo.ownerPassword}` : ""}`,
        `    publishable key   ${demo.publishableKey}  (allows ${new URL(env.PUBLIC_URL).origin})`,
        `    secret key        ${demo.secretKey}`,
        "",
      ].join("\n"),
    );
  }
  stopOnSignals(app.deps.log, () => app.close());
}

async function worker(env: Env) {
  if (!env.DATABASE_URL) {
    throw new UsageError("A worker needs DATABASE_URL: the embedded database serves one process, and `bizbot serve` works the queue itself");
  }
  const running = await startWorker(env);
  running.deps.log.info({ concurrency: env.AGENT_CONCURRENCY, redis: running.deps.redis ? "redis" : "embedded" }, "worker running");
  stopOnSignals(running.deps.log, () => running.close());
}

/** SIGTERM or SIGINT: finish what is in hand, then exit. */
function stopOnSignals(log: Logger, close: () => Promise<void>) {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    close().then(
      () => process.exit(0),
      (error) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

/** Runs an operator command against the database, logging to stderr so stdout holds only the answer. */
async function withDeps(env: Env, run: (deps: Awaited<ReturnType<typeof buildDeps>>) => Promise<void>) {
  const deps = await buildDeps(env, { log: createLogger("warn", pino.destination(2)), runJobs: false });
  try {
    await run(deps);
  } finally {
    await closeDeps(deps);
  }
}

function requireStripe(env: Env) {
  if (!env.STRIPE_SECRET_KEY) throw new UsageError("Stripe is not configured: set STRIPE_SECRET_KEY (and STRIPE_API_URL for another host)");
}

/** "90m", "12h", "3d": how far back to read. */
function durationMs(text: string): number {
  const match = /^(\d{1,4})([mhd])$/.exec(text);
  if (!match) throw new UsageError(`--since takes a number and a unit: 90m, 12h or 3d (got "${text}")`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as "m" | "h" | "d"];
  const ms = Number(match[1]) * unit;
  // Stripe keeps events for 30 days.
  if (ms <= 0 || ms > 30 * 86_400_000) throw new UsageError("--since must be more than 0 and at most 30d (Stripe keeps events for 30 days)");
  return ms;
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required`);
  return value;
}

function print(json: boolean | undefined, result: object, lines: string[]) {
  console.log(json ? JSON.stringify(result) : lines.join("\n"));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    console.error(`bizbot: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (error instanceof DomainError || error instanceof EnvError || error instanceof DatabaseLockedError) {
    console.error(`bizbot: ${error.message}`);
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
});
