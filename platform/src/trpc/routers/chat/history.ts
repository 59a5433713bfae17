import { conversationHistory } from "../../../chat/conversations.ts";
import { visitorProcedure } from "../../procedures.ts";
import { askerOf } from "./asker.ts";
import { conversationInput } from "./schemas.ts";

/** A visitor's own conversation, to show again after a page load. */
export const chatHistoryProcedure = visitorProcedure
  .input(conversationInput)
  .query(async ({ ctx, input }) => conversationHistory(ctx.deps.db, await askerOf(ctx, input), input.conversationId));
