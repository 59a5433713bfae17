import { verifiedUserId } from "../../../chat/identity.ts";
import { listMessages } from "../../../chat/repository.ts";
import { messageView, ownConversation } from "../../../chat/service.ts";
import { visitorProcedure } from "../../procedures.ts";
import { conversationInput } from "./schemas.ts";

/** A visitor's own conversation, to show again after a page load. */
export const chatHistoryProcedure = visitorProcedure.input(conversationInput).query(async ({ ctx, input }) => {
  const userId = await verifiedUserId(ctx.deps.db, ctx.tenant.id, input.userId, input.userHash);
  const conversation = await ownConversation(ctx.deps.db, { tenantId: ctx.tenant.id, visitorId: input.visitorId, userId }, input.conversationId);
  const messages = await listMessages(ctx.deps.db, ctx.tenant.id, conversation.id);
  return { conversationId: conversation.id, status: conversation.status, messages: messages.map(messageView) };
});
