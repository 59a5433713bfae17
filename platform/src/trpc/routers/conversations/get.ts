import { readConversation } from "../../../chat/conversations.ts";
import { conversationView, messageView } from "../../../chat/views.ts";
import { tenantOrMemberProcedure } from "../../procedures.ts";
import { conversationIdInput } from "./schemas.ts";

/** One conversation with its messages, as the portal shows it. */
export const getConversationProcedure = tenantOrMemberProcedure
  .meta({ tier: "tenant-or-member", rest: { method: "GET", path: "/conversations/{id}", summary: "A conversation and its messages" } })
  .input(conversationIdInput)
  .query(async ({ ctx, input }) => {
    const { conversation, messages } = await readConversation(ctx.deps.db, ctx.tenant.id, input.id);
    return { conversation: conversationView(conversation), messages: messages.map(messageView) };
  });
