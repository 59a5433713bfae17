import { converse } from "../../../chat/turn.ts";
import { visitorProcedure } from "../../procedures.ts";
import { askerOf } from "./asker.ts";
import { sendInput } from "./schemas.ts";

/** A visitor's message and the answer, streamed token by token (a tRPC subscription, over SSE). */
export const sendChatProcedure = visitorProcedure.input(sendInput).subscription(async function* ({ ctx, input }) {
  yield* converse(ctx.deps, await askerOf(ctx, input), { conversationId: input.conversationId, message: input.message });
});
