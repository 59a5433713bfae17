import type { Deps } from "../deps.ts";

export interface Readiness {
  database: "up" | "down";
  redis: "up" | "down" | "embedded";
}

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("timed out")), CHECK_TIMEOUT_MS).unref())]);
}

async function up(check: () => Promise<unknown>): Promise<"up" | "down"> {
  try {
    await withTimeout(check());
    return "up";
  } catch {
    return "down";
  }
}

/** The database decides readiness; Redis only accelerates, so its loss is reported but not fatal. */
export async function readiness(deps: Deps): Promise<Readiness> {
  const redis = deps.redis;
  const [database, redisState] = await Promise.all([up(() => deps.database.ping()), redis ? up(() => redis.ping()) : Promise.resolve("embedded" as const)]);
  return { database, redis: redisState };
}
