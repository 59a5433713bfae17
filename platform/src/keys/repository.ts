import { sql, type Kysely, type Transaction } from "kysely";
import type { ApiKey, DB } from "../db/schema.ts";

type Db = Kysely<DB> | Transaction<DB>;

export type NewKeyRow = Pick<ApiKey, "id" | "tenant_id" | "kind" | "mode" | "name" | "hash" | "prefix" | "allowed_origins" | "expires_at">;

export async function insertKey(trx: Transaction<DB>, row: NewKeyRow): Promise<ApiKey> {
  return trx.insertInto("api_keys").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listKeys(db: Db, tenantId: string): Promise<ApiKey[]> {
  return db.selectFrom("api_keys").selectAll().where("tenant_id", "=", tenantId).orderBy("created_at", "desc").orderBy("id").execute();
}

export async function findKey(db: Db, tenantId: string, id: string): Promise<ApiKey | undefined> {
  return db.selectFrom("api_keys").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
}

/** Operator lookup by id or by hash, across tenants: only the CLI uses it. */
export async function findKeyAnyTenant(db: Db, by: { id: string } | { hash: string }): Promise<ApiKey | undefined> {
  const query = db.selectFrom("api_keys").selectAll();
  return ("id" in by ? query.where("id", "=", by.id) : query.where("hash", "=", by.hash)).executeTakeFirst();
}

export interface KeyWithTenant extends ApiKey {
  tenant_name: string;
}

export async function findKeyByHash(db: Db, hash: string): Promise<KeyWithTenant | undefined> {
  return db
    .selectFrom("api_keys")
    .innerJoin("tenants", "tenants.id", "api_keys.tenant_id")
    .selectAll("api_keys")
    .select("tenants.name as tenant_name")
    .where("api_keys.hash", "=", hash)
    .executeTakeFirst();
}

/** Revokes a live key; returns nothing when it was already revoked, so the caller can stay idempotent. */
export async function markRevoked(trx: Transaction<DB>, id: string): Promise<ApiKey | undefined> {
  return trx.updateTable("api_keys").set({ revoked_at: sql`now()` }).where("id", "=", id).where("revoked_at", "is", null).returningAll().executeTakeFirst();
}

/** Renames a live key or replaces its allowed origins (the fields given); nothing when it was revoked meanwhile. */
export async function updateKeyDetails(
  trx: Transaction<DB>,
  id: string,
  changes: { name?: string | undefined; allowedOrigins?: string[] | undefined },
): Promise<ApiKey | undefined> {
  return trx
    .updateTable("api_keys")
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.allowedOrigins !== undefined ? { allowed_origins: changes.allowedOrigins } : {}),
    })
    .where("id", "=", id)
    .where("revoked_at", "is", null)
    .returningAll()
    .executeTakeFirst();
}

/** Shortens a key's life to `expiresAt` (keeps an earlier expiry). */
export async function expireAt(trx: Transaction<DB>, id: string, expiresAt: Date): Promise<ApiKey | undefined> {
  return trx
    .updateTable("api_keys")
    .set({ expires_at: sql<Date>`least(coalesce(expires_at, ${expiresAt}), ${expiresAt})` })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirst();
}

/** The conditional write keeps `last_used_at` to one write a minute per key across all instances. */
export async function touchLastUsed(db: Db, id: string): Promise<void> {
  await db
    .updateTable("api_keys")
    .set({ last_used_at: sql`now()` })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", sql<Date>`now() - interval '1 minute'`)]))
    .execute();
}
