import { z } from "zod";

/** Where a page of audit entries ends: the last entry's id, opaque to clients. */
export const encodeAuditCursor = (id: string) => Buffer.from(`audit|${id}`).toString("base64url");

export const auditCursorInput = z
  .string()
  .max(200)
  .transform((value, ctx) => {
    const [kind, id] = Buffer.from(value, "base64url").toString("utf8").split("|");
    if (kind !== "audit" || !id || !/^[1-9][0-9]{0,17}$/.test(id)) {
      ctx.addIssue({ code: "custom", message: "is not a cursor this API gave" });
      return z.NEVER;
    }
    return id;
  });
