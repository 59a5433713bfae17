import { removeConversation } from "../../../chat/conversations.ts";
import { tenantOrAdminProcedure } from "../../procedures.ts";
import { conversationIdInput } from "./schemas.ts";

/** Deletes a conversation and its messages for good (a visitor's request to be forgotten, say). */
export const removeConversationProcedure = tenantOrAdminProcedure
  .meta({ tier: "tenant-or-admin", rest: { method: "DELETE", path: "/conversations/{id}", summary: "Delete a conversation and its messages" } })
  .input(conversationIdInput)
  .mutation(({ ctx, input }) => removeConversation(ctx.deps.db, ctx.actor, ctx.tenant.id, input.id));
