import { timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { DB } from "../db/schema.ts";
import { DomainError } from "../errors.ts";
import { hmacSha256Hex, randomToken } from "../lib/crypto.ts";

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

/**
 * Who is writing: an anonymous visitor, or one of the tenant's signed-in users, whose id the tenant's server has
 * signed (the scheme of Intercom's and Chatwoot's identity verification). A user id without a valid hash is refused,
 * never trusted: otherwise anyone could read a user's conversations by claiming their id.
 */
export async function verifiedUserId(db: Kysely<DB>, tenantId: string, userId: string | undefined, userHash: string | undefined): Promise<string | null> {
  if (userId === undefined && userHash === undefined) return null;
  if (!userId || !userHash) throw new DomainError("forbidden", "An identified user needs both userId and userHash");
  const expected = Buffer.from(hmacSha256Hex((await chatSecrets(db, tenantId)).identitySecret, userId), "utf8");
  const given = Buffer.from(userHash.toLowerCase(), "utf8");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new DomainError("forbidden", "userHash does not match userId: compute it on your server as HMAC-SHA256(identity secret, userId)");
  }
  return userId;
}
