import { embeddedKey } from "../../../keys/embedded.ts";
import { memberProcedure } from "../../procedures.ts";

/**
 * A publishable key for the portal's live preview of the tenant's widget, made on first use: the portal's origin
 * serves every key (keys/publishable.ts), so it needs no allowed origins of its own and works on no tenant's site.
 */
export const widgetPreviewKeyProcedure = memberProcedure.query(async ({ ctx }) => ({
  publishableKey: await embeddedKey(ctx.deps.db, ctx.actor, ctx.tenant.id, "preview"),
}));
