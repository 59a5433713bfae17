import { z } from "zod";
import { addDocument } from "../../../knowledge/service.ts";
import { tenantOrAdminProcedure } from "../../procedures.ts";
import { documentInput, documentOutput } from "./schemas.ts";

export const createDocumentProcedure = tenantOrAdminProcedure
  .meta({
    tier: "tenant-or-admin",
    rest: {
      method: "POST",
      path: "/knowledge/documents",
      summary: "Add a document: {title, content, format} as JSON (a PDF in base64), or the same fields as multipart/form-data with the file as `content`",
    },
  })
  .input(documentInput)
  .output(documentOutput.extend({ duplicate: z.boolean() }))
  .mutation(({ ctx, input }) => addDocument(ctx.deps, ctx.actor, ctx.tenant.id, input));
