import { z } from "zod";
import { listDocuments } from "../../../knowledge/service.ts";
import { tenantOrMemberProcedure } from "../../procedures.ts";
import { documentOutput } from "./schemas.ts";

export const listDocumentsProcedure = tenantOrMemberProcedure
  .meta({ tier: "tenant-or-member", rest: { method: "GET", path: "/knowledge/documents", summary: "The knowledge base's documents, newest first" } })
  .output(z.object({ documents: z.array(documentOutput) }))
  .query(async ({ ctx }) => ({ documents: await listDocuments(ctx.deps.db, ctx.tenant.id) }));
