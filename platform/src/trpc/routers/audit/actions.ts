import { auditActions } from "../../../audit/listing.ts";
import { memberProcedure } from "../../procedures.ts";

/** The actions the tenant's log holds, for the listing's filter. */
export const auditActionsProcedure = memberProcedure.query(async ({ ctx }) => ({ actions: await auditActions(ctx.deps.db, ctx.tenant.id) }));
