import { z } from "zod";
import { deleteTenant } from "../../../tenants/deletion.ts";
import { ownerProcedure } from "../../procedures.ts";

/** Deletes the tenant and everything it owns, for good; `confirmName` must be its name, exactly. */
export const deleteTenantProcedure = ownerProcedure
  .input(z.strictObject({ confirmName: z.string().min(1, "is required").max(200) }))
  .mutation(({ ctx, input }) => deleteTenant(ctx.deps, ctx.actor, ctx.tenant.id, input.confirmName));
