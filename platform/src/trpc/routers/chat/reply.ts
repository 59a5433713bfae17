import { conversationId, visitorId } from "@bizbot/shared";
import { z } from "zod";
import { findConversation } from "../../../chat/repository.ts";
import { converse } from "../../../chat/service.ts";
import { notFound } from "../../../errors.ts";
import { newId } from "../../../lib/ids.ts";
import { tenantProcedure } from "../../procedures.ts";
import { messageText } from "./schemas.ts";

/**
 * The chat for a tenant's own server: the same turn as the widget's, answered as JSON (the `done` event) or, with
 * `Accept: text/event-stream`, streamed. A server speaks for its tenant, so it may continue any of its conversations.
 */
export const replyChatProcedure = tenantProcedure
  .meta({
    tier: "tenant",
    rest: {
      method: "POST",
      path: "/chat",
      summary: "Ask the support bot: {message, conversationId?, visitorId?}; JSON, or SSE with Accept: text/event-stream",
    },
  })
  .input(z.strictObject({ message: messageText, conversationId: conversationId.optional(), visitorId: visitorId.optional() }))
  .subscription(async function* ({ ctx, input }) {
    const conversation = input.conversationId ? await findConversation(ctx.deps.db, ctx.tenant.id, input.conversationId) : undefined;
    if (input.conversationId && (!conversation || (input.visitorId && conversation.visitor_id !== input.visitorId))) throw notFound("Conversation");
    const asker = {
      tenantId: ctx.tenant.id,
      visitorId: conversation?.visitor_id ?? input.visitorId ?? newId("visitor"),
      userId: conversation?.user_id ?? null,
    };
    yield* converse(ctx.deps, asker, { conversationId: input.conversationId, message: input.message });
  });
