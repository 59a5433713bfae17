import { timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { DB } from "../db/schema.ts";
import { DomainError } from "../errors.ts";
import { hmacSha256Hex } from "../lib/crypto.ts";
import { chatSecrets } from "../tenants/secrets.ts";

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
