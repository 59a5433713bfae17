import { sql, type Kysely } from "kysely";
import { parseEnv, type Env } from "../src/env.ts";
import type { DB } from "../src/db/schema.ts";
import { startApp, type App, type BuildOptions } from "../src/main.ts";

/** Real Postgres and Redis when the environment names them (CI does), the embedded defaults otherwise. */
export const services = {
  postgres: Boolean(process.env.DATABASE_URL),
  redis: Boolean(process.env.REDIS_URL),
};

/** One Redis key space per test file: counters left by earlier runs against the same Redis cannot leak in. */
const redisKeyPrefix = `bizbot-test-${process.pid}-${Date.now().toString(36)}:`;

export function testEnv(overrides: Record<string, string> = {}): Env {
  return parseEnv({
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    DATA_DIR: "memory://",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    DEMO_TENANT: "0",
    HOUSE_TENANT: "0",
    DATABASE_URL: process.env.DATABASE_URL,
    REDIS_URL: process.env.REDIS_URL,
    REQUIRE_SERVICES: process.env.REQUIRE_SERVICES,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    ...overrides,
  });
}

export async function startTestApp(overrides: Record<string, string> = {}, options: BuildOptions = {}): Promise<App> {
  return startApp(testEnv(overrides), options);
}

/**
 * Skips a suite that needs real services, with a visible notice, unless REQUIRE_SERVICES=1 makes their absence
 * a failure (env parsing then refuses to start without them).
 */
export function needsServices(what: string): boolean {
  const present = services.postgres && services.redis;
  if (!present && process.env.REQUIRE_SERVICES !== "1") {
    console.warn(`[skipped] ${what}: set DATABASE_URL and REDIS_URL to run it`);
  }
  return present || process.env.REQUIRE_SERVICES === "1";
}

/** Every table of the public schema with its row count: a snapshot to prove that a refused call wrote nothing. */
export async function rowCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
    order by table_name`.execute(db);
  const counts: Record<string, number> = {};
  for (const { table_name } of tables.rows) {
    const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table_name)}`.execute(db);
    counts[table_name] = result.rows[0]!.n;
  }
  return counts;
}

/** Every row of every table as JSON text: to prove a secret appears nowhere in clear. */
export async function dumpDatabase(db: Kysely<DB>): Promise<string> {
  const tables = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db);
  const parts: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`select to_jsonb(t)::text as row from ${sql.table(table_name)} t`.execute(db);
    // One by one: a spread of a large table's rows would overflow the call stack.
    for (const r of rows.rows) parts.push(r.row);
  }
  return parts.join("\n");
}
