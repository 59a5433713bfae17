import { startCheckout } from "../../../billing/service.ts";
import { adminProcedure } from "../../procedures.ts";
import { checkoutInput } from "./schemas.ts";

/** A Stripe Checkout page for a credit package or a monthly plan; its webhook adds the credits once paid. */
export const checkoutProcedure = adminProcedure.input(checkoutInput).mutation(({ ctx, input }) => startCheckout(ctx.deps, ctx.actor, ctx.tenant.id, input));
