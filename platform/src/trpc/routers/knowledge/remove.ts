import { z } from "zod";
import { deleteDocument } from "../../../knowledge/service.ts";
import { tenantOrAdminProcedure } from "../../procedures.ts";
import { documentIdInput } from "./schemas.ts";

export const removeDocumentProcedure = tenantOrAdminProcedure
  .meta({ tier: "tenant-or-admin", rest: { method: "DELETE", path: "/knowledge/documents/{id}", summary: "Delete a document from every index" } })
  .input(documentIdInput)
  .output(z.object({ deleted: z.literal(true), id: z.string() }))
  .mutation(({ ctx, input }) => deleteDocument(ctx.deps, ctx.actor, ctx.tenant.id, input.id));
