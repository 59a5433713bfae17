import { z } from "zod";
import { auditPage } from "../../../audit/listing.ts";
import { memberProcedure } from "../../procedures.ts";
import { auditCursorInput, encodeAuditCursor } from "./schemas.ts";

/** The tenant's audit log, newest first, a page at a time; optionally one action's, or one actor's. */
export const listAuditProcedure = memberProcedure
  .input(
    z.strictObject({
      action: z.string().trim().min(1).max(100).optional(),
      actorId: z.string().trim().min(1).max(100).optional(),
      cursor: auditCursorInput.optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    }),
  )
  .query(async ({ ctx, input }) => {
    const { entries, next } = await auditPage(ctx.deps.db, ctx.tenant.id, {
      action: input.action,
      actorId: input.actorId,
      before: input.cursor,
      limit: input.limit,
    });
    return { entries, nextCursor: next ? encodeAuditCursor(next) : null };
  });
