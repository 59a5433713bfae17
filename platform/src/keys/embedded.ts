import { type Kysely, sql } from "kysely";
import type { Actor } from "../audit/repository.ts";
import type { DB } from "../db/schema.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { findKeyByHash } from "./repository.ts";
import { insertNewKey } from "./service.ts";

/** Why the platform keeps a publishable key whole: the house widget on its own pages, or a tenant's portal preview. */
export type EmbeddedKeyPurpose = DB["widget_keys"]["purpose"];

const NAMES: Record<EmbeddedKeyPurpose, string> = {
  house: "House widget (the platform's own pages)",
  preview: "Portal preview (the widget page of the BizBot portal)",
};

/**
 * The publishable key the platform embeds for `purpose`, made on first use and replaced once revoked or expired.
 * Publishable keys are public by design (every page embedding the widget shows one), so unlike other keys these are
 * kept whole. The row lock makes concurrent callers (instances starting together, two preview tabs) agree on one key.
 */
export async function embeddedKey(db: Kysely<DB>, actor: Actor, tenantId: string, purpose: EmbeddedKeyPurpose, allowedOrigins: string[] = []): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await sql`insert into widget_keys (tenant_id, purpose) values (${tenantId}, ${purpose}) on conflict do nothing`.execute(trx);
    const row = await trx
      .selectFrom("widget_keys")
      .select("key")
      .where("tenant_id", "=", tenantId)
      .where("purpose", "=", purpose)
      .forUpdate()
      .executeTakeFirstOrThrow();
    // Looked up in the transaction itself: the embedded database has one connection, which the transaction holds.
    const current = row.key ? await findKeyByHash(trx, sha256Hex(row.key)) : undefined;
    const usable = current && current.tenant_id === tenantId && !current.revoked_at && (!current.expires_at || current.expires_at.getTime() > Date.now());
    if (usable) return row.key;
    const created = await insertNewKey(trx, actor, tenantId, { kind: "publishable", mode: "live", name: NAMES[purpose], allowedOrigins });
    await trx.updateTable("widget_keys").set({ key: created.key }).where("tenant_id", "=", tenantId).where("purpose", "=", purpose).execute();
    return created.key;
  });
}

/** The house widget's key as stored, without making one: null until the house tenant has been set up. */
export async function storedHouseKey(db: Kysely<DB>): Promise<string | null> {
  const row = await db.selectFrom("widget_keys").select("key").where("purpose", "=", "house").executeTakeFirst();
  return row?.key || null;
}
