import { getTenant } from "../../../tenants/service.ts";
import { memberProcedure } from "../../procedures.ts";

export const currentTenantProcedure = memberProcedure.query(async ({ ctx }) => ({
  ...(await getTenant(ctx.deps.db, ctx.tenant.id)),
  role: ctx.role,
}));
