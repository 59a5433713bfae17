import { findConversation, listMessages } from "../../../chat/repository.ts";
import { conversationView, messageView } from "../../../chat/service.ts";
import { notFound } from "../../../errors.ts";
import { tenantOrMemberProcedure } from "../../procedures.ts";
import { conversationIdInput } from "./schemas.ts";

/** One conversation with its messages, as the portal shows it. */
export const getConversationProcedure = tenantOrMemberProcedure
  .meta({ tier: "tenant-or-member", rest: { method: "GET", path: "/conversations/{id}", summary: "A conversation and its messages" } })
  .input(conversationIdInput)
  .query(async ({ ctx, input }) => {
    const conversation = await findConversation(ctx.deps.db, ctx.tenant.id, input.id);
    if (!conversation) throw notFound("Conversation");
    const messages = await listMessages(ctx.deps.db, ctx.tenant.id, conversation.id);
    return { conversation: conversationView(conversation), messages: messages.map(messageView) };
  });
