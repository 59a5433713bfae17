import { sql, type Kysely } from "kysely";
import { randomToken } from "../lib/crypto.ts";
import type { DB } from "./schema.ts";

/** A platform-wide secret: made by the first instance to ask, then the same for every instance. */
export async function ensureSecret(db: Kysely<DB>, name: string): Promise<string> {
  await sql`insert into platform_secrets (name, value) values (${name}, ${randomToken(32)}) on conflict (name) do nothing`.execute(db);
  const row = await db.selectFrom("platform_secrets").select("value").where("name", "=", name).executeTakeFirstOrThrow();
  return row.value;
}
