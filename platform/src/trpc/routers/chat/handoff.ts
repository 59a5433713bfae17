import { z } from "zod";
import { requestHuman } from "../../../chat/escalation.ts";
import { visitorProcedure } from "../../procedures.ts";
import { askerOf } from "./asker.ts";
import { conversationInput } from "./schemas.ts";

/** The visitor asks for a person: always possible, whatever the bot answered. */
export const handoffChatProcedure = visitorProcedure
  .input(conversationInput.extend({ note: z.string().trim().max(1000).optional() }))
  .mutation(async ({ ctx, input }) => {
    const result = await requestHuman(
      { db: ctx.deps.db, settings: ctx.deps.settings, publicUrl: ctx.deps.env.PUBLIC_URL },
      await askerOf(ctx, input),
      input.conversationId,
      input.note,
    );
    ctx.deps.outbox.kick();
    return result;
  });
