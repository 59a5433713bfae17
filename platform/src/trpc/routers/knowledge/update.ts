import { documentId } from "@bizbot/shared";
import { updateDocument } from "../../../knowledge/service.ts";
import { tenantOrAdminProcedure } from "../../procedures.ts";
import { documentInput, documentOutput } from "./schemas.ts";

export const updateDocumentProcedure = tenantOrAdminProcedure
  .meta({ tier: "tenant-or-admin", rest: { method: "PATCH", path: "/knowledge/documents/{id}", summary: "Replace a document and re-index it" } })
  .input(documentInput.extend({ id: documentId }))
  .output(documentOutput)
  .mutation(({ ctx, input: { id, ...document } }) => updateDocument(ctx.deps, ctx.actor, ctx.tenant.id, id, document));
