import { readConversation } from "../../../chat/conversations.ts";
import { conversationView, messageView } from "../../../chat/views.ts";
import { tenantOrMemberProcedure } from "../../procedures.ts";
import { conversationIdInput } from "./schemas.ts";

/** Everything stored about a conversation, for the tenant's records: each answer with its model, tokens and cost. */
export const exportConversationProcedure = tenantOrMemberProcedure
  .meta({
    tier: "tenant-or-member",
    rest: { method: "GET", path: "/conversations/{id}/export", summary: "A conversation with every message's model, tokens and cost" },
  })
  .input(conversationIdInput)
  .query(async ({ ctx, input }) => {
    const { conversation, messages } = await readConversation(ctx.deps.db, ctx.tenant.id, input.id);
    return {
      exportedAt: new Date().toISOString(),
      conversation: conversationView(conversation),
      messages: messages.map((m) => ({
        ...messageView(m),
        model: m.model,
        tokens: { input: m.input_tokens, output: m.output_tokens, cacheWrite: m.cache_write_tokens, cacheRead: m.cache_read_tokens },
        costUsd: Number(m.cost_usd),
      })),
    };
  });
