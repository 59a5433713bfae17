import { verifiedUserId } from "../../../chat/identity.ts";
import { converse } from "../../../chat/service.ts";
import { visitorProcedure } from "../../procedures.ts";
import { sendInput } from "./schemas.ts";

/** A visitor's message and the answer, streamed token by token (a tRPC subscription, over SSE). */
export const sendChatProcedure = visitorProcedure.input(sendInput).subscription(async function* ({ ctx, input }) {
  const userId = await verifiedUserId(ctx.deps.db, ctx.tenant.id, input.userId, input.userHash);
  yield* converse(ctx.deps, { tenantId: ctx.tenant.id, visitorId: input.visitorId, userId }, { conversationId: input.conversationId, message: input.message });
});
