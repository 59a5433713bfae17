import { z } from "zod";
import { requestHuman } from "../../../chat/escalation.ts";
import { verifiedUserId } from "../../../chat/identity.ts";
import { visitorProcedure } from "../../procedures.ts";
import { conversationInput } from "./schemas.ts";

/** The visitor asks for a person: always possible, whatever the bot answered. */
export const handoffChatProcedure = visitorProcedure
  .input(conversationInput.extend({ note: z.string().trim().max(1000).optional() }))
  .mutation(async ({ ctx, input }) => {
    const userId = await verifiedUserId(ctx.deps.db, ctx.tenant.id, input.userId, input.userHash);
    const result = await requestHuman(
      { db: ctx.deps.db, settings: ctx.deps.settings, publicUrl: ctx.deps.env.PUBLIC_URL },
      { tenantId: ctx.tenant.id, visitorId: input.visitorId, userId },
      input.conversationId,
      input.note,
    );
    ctx.deps.outbox.kick();
    return result;
  });
