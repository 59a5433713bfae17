import type { Kysely } from "kysely";
import type { DB } from "../db/schema.ts";
import { randomToken } from "../lib/crypto.ts";

export interface ChatSecrets {
  /** Signs the tenant's user ids: userHash = HMAC-SHA256(identitySecret, userId), computed on the tenant's server. */
  identitySecret: string;
  /** Signs the platform's webhooks to the tenant. */
  webhookSecret: string;
}

/**
 * The tenant's chat secrets, made on first use (both instances racing make one pair: the insert does nothing twice).
 * Read first: every identified visitor's request asks, and only the first ever needs the write.
 */
export async function chatSecrets(db: Kysely<DB>, tenantId: string): Promise<ChatSecrets> {
  const read = () => db.selectFrom("tenant_chat_secrets").select(["identity_secret", "webhook_secret"]).where("tenant_id", "=", tenantId).executeTakeFirst();
  let row = await read();
  if (!row) {
    await db
      .insertInto("tenant_chat_secrets")
      .values({ tenant_id: tenantId, identity_secret: randomToken(32), webhook_secret: randomToken(32) })
      .onConflict((oc) => oc.column("tenant_id").doNothing())
      .execute();
    row = (await read())!;
  }
  return { identitySecret: row.identity_secret, webhookSecret: row.webhook_secret };
}
