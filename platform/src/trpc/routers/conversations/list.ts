import { z } from "zod";
import { conversationPage } from "../../../chat/conversations.ts";
import { tenantOrMemberProcedure } from "../../procedures.ts";
import { cursorInput, encodeCursor } from "./schemas.ts";

/** The tenant's conversations, most recently active first, a page at a time. */
export const listConversationsProcedure = tenantOrMemberProcedure
  .meta({
    tier: "tenant-or-member",
    rest: { method: "GET", path: "/conversations", summary: "The support bot's conversations, newest activity first: ?cursor&limit" },
  })
  .input(z.strictObject({ cursor: cursorInput.optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }))
  .query(async ({ ctx, input }) => {
    const { conversations, next } = await conversationPage(ctx.deps.db, ctx.tenant.id, input.cursor ?? null, input.limit);
    return { conversations, nextCursor: next ? encodeCursor(next) : null };
  });
