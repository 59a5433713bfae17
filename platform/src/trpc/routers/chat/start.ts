import { verifiedUserId } from "../../../chat/identity.ts";
import { insertConversation } from "../../../chat/repository.ts";
import { newId } from "../../../lib/ids.ts";
import { visitorProcedure } from "../../procedures.ts";
import { startInput } from "./schemas.ts";

/** Starts a conversation, issuing the widget a visitor id to keep unless it already has one. */
export const startChatProcedure = visitorProcedure.input(startInput).mutation(async ({ ctx, input }) => {
  const userId = await verifiedUserId(ctx.deps.db, ctx.tenant.id, input.userId, input.userHash);
  const visitorId = input.visitorId ?? newId("visitor");
  const conversation = await insertConversation(ctx.deps.db, { id: newId("conversation"), tenantId: ctx.tenant.id, visitorId, userId });
  return { visitorId, conversationId: conversation.id };
});
