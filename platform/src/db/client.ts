import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import type { DB } from "./schema.ts";

export interface Database {
  db: Kysely<DB>;
  /** "postgres" when DATABASE_URL is set, "pglite" for the embedded default. */
  kind: "postgres" | "pglite";
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseLockedError extends Error {
  override name = "DatabaseLockedError";
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** Folder of the embedded database; "memory://" keeps it in memory (tests). */
  dataDir: string;
  poolSize?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // An idle client losing its server (a restart, a failover) must not crash the process; the pool replaces it.
    pool.on("error", () => {});
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: "postgres",
      ping: async () => void (await sql`select 1`.execute(db)),
      close: () => db.destroy(),
    };
  }
  const inMemory = options.dataDir === "memory://";
  const dir = resolve(options.dataDir, "pglite");
  const releaseLock = inMemory ? () => {} : acquireLock(resolve(options.dataDir));
  try {
    const client = inMemory ? new PGlite() : new PGlite(dir);
    await client.waitReady;
    const db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
    return {
      db,
      kind: "pglite",
      ping: async () => void (await sql`select 1`.execute(db)),
      close: async () => {
        await db.destroy();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * PGlite is one process's database: a second opener would corrupt it. A lock file holding the owner's pid keeps
 * other servers and the CLI out; a lock left by a dead process is taken over.
 */
const heldHere = new Set<string>();

function acquireLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, "pglite.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(lockPath);
      return () => {
        heldHere.delete(lockPath);
        rmSync(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(lockPath, "utf8").trim());
      // Our own pid counts as alive only if this process really opened it: in a container every start is pid 1.
      const held = owner === process.pid ? heldHere.has(lockPath) : Number.isInteger(owner) && owner > 0 && isAlive(owner);
      if (held) {
        throw new DatabaseLockedError(
          `The embedded database in ${dataDir} is in use by process ${owner} (a running BizBot server?). ` +
            "Stop that process first, or set DATABASE_URL to use a shared PostgreSQL.",
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DatabaseLockedError(`Could not lock the embedded database in ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
