import { billingStatus, setAutoTopUp } from "../../../billing/service.ts";
import { topUp } from "../../../billing/top-up.ts";
import { adminProcedure } from "../../procedures.ts";
import { autoTopUpInput, autoTopUpOutput } from "./schemas.ts";

export const autoTopUpProcedure = adminProcedure
  .input(autoTopUpInput)
  .output(autoTopUpOutput)
  .mutation(async ({ ctx, input }) => {
    await setAutoTopUp(ctx.deps, ctx.actor, ctx.tenant.id, input);
    // Already under the threshold: the top-up is bought now, and its outcome answered, rather than at the next sweep.
    const stripe = ctx.deps.stripe;
    if (input.enabled && stripe) await topUp({ ...ctx.deps, stripe }, ctx.tenant.id);
    return (await billingStatus(ctx.deps, ctx.tenant.id)).autoTopUp;
  });
