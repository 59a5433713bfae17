import { conversationId, visitorId } from "@bizbot/shared";
import { z } from "zod";
import { serverAsker } from "../../../chat/conversations.ts";
import { converse } from "../../../chat/turn.ts";
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
    const asker = await serverAsker(ctx.deps.db, ctx.tenant.id, input);
    yield* converse(ctx.deps, asker, { conversationId: input.conversationId, message: input.message });
  });
