import { conversationId } from "@bizbot/shared";
import { z } from "zod";

export const conversationIdInput = z.strictObject({ id: conversationId });

/** Where a page of conversations ends: the last one's activity time and id, opaque to clients. */
export const encodeCursor = (row: { updated_at: Date; id: string }) => Buffer.from(`${row.updated_at.toISOString()}|${row.id}`).toString("base64url");

export const cursorInput = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const [at, id] = Buffer.from(value, "base64url").toString("utf8").split("|");
    const updatedAt = new Date(at ?? "");
    if (!id || !conversationId.safeParse(id).success || Number.isNaN(updatedAt.getTime())) {
      ctx.addIssue({ code: "custom", message: "is not a cursor this API gave" });
      return z.NEVER;
    }
    return { updatedAt, id };
  });
