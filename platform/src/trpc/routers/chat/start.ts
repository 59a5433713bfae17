import { startConversation } from "../../../chat/conversations.ts";
import { newId } from "../../../lib/ids.ts";
import { visitorProcedure } from "../../procedures.ts";
import { askerOf } from "./asker.ts";
import { startInput } from "./schemas.ts";

/** Starts a conversation, issuing the widget a visitor id to keep unless it already has one. */
export const startChatProcedure = visitorProcedure.input(startInput).mutation(async ({ ctx, input }) => {
  const asker = await askerOf(ctx, { ...input, visitorId: input.visitorId ?? newId("visitor") });
  const conversation = await startConversation(ctx.deps.db, asker);
  return { visitorId: asker.visitorId, conversationId: conversation.id };
});
