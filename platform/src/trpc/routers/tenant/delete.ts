import { z } from "zod";
import { refuseWhilePlanIsLive } from "../../../billing/service.ts";
import { deleteTenant } from "../../../tenants/deletion.ts";
import { ownerProcedure } from "../../procedures.ts";

/** Deletes the tenant and everything it owns, for good; `confirmName` must be its name, exactly. Not while a plan is live. */
export const deleteTenantProcedure = ownerProcedure
  .input(z.strictObject({ confirmName: z.string().min(1, "is required").max(200) }))
  .mutation(async ({ ctx, input }) => {
    await refuseWhilePlanIsLive(ctx.deps.db, ctx.tenant.id);
    return deleteTenant(ctx.deps, ctx.actor, ctx.tenant.id, input.confirmName);
  });
