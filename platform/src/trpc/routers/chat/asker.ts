import type { Kysely } from "kysely";
import type { Asker } from "../../../chat/conversations.ts";
import { verifiedUserId } from "../../../chat/identity.ts";
import type { DB } from "../../../db/schema.ts";

/** The widget's visitor, and the tenant's signed-in user when the tenant's server signed their id (identity.ts). */
export async function askerOf(
  ctx: { deps: { db: Kysely<DB> }; tenant: { id: string } },
  input: { visitorId: string; userId?: string | undefined; userHash?: string | undefined },
): Promise<Asker> {
  const userId = await verifiedUserId(ctx.deps.db, ctx.tenant.id, input.userId, input.userHash);
  return { tenantId: ctx.tenant.id, visitorId: input.visitorId, userId };
}
