import { z } from "zod";
import { renameTenant } from "../../../tenants/service.ts";
import { ownerProcedure } from "../../procedures.ts";
import { tenantName } from "../auth/inputs.ts";

export const renameTenantProcedure = ownerProcedure
  .input(z.strictObject({ name: tenantName }))
  .mutation(({ ctx, input }) => renameTenant(ctx.deps.db, ctx.actor, ctx.tenant.id, input.name));
