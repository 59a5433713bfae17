import { insertAudit } from "../../../audit/repository.ts";
import { deleteConversation } from "../../../chat/repository.ts";
import { notFound } from "../../../errors.ts";
import { tenantOrAdminProcedure } from "../../procedures.ts";
import { conversationIdInput } from "./schemas.ts";

/** Deletes a conversation and its messages for good (a visitor's request to be forgotten, say). */
export const removeConversationProcedure = tenantOrAdminProcedure
  .meta({ tier: "tenant-or-admin", rest: { method: "DELETE", path: "/conversations/{id}", summary: "Delete a conversation and its messages" } })
  .input(conversationIdInput)
  .mutation(async ({ ctx, input }) => {
    await ctx.deps.db.transaction().execute(async (trx) => {
      if (!(await deleteConversation(trx, ctx.tenant.id, input.id))) throw notFound("Conversation");
      await insertAudit(trx, ctx.actor, { tenantId: ctx.tenant.id, action: "chat.conversation_deleted", target: { type: "conversation", id: input.id } });
    });
    return { deleted: true as const, id: input.id };
  });
