import { portalSession } from "../../../billing/service.ts";
import { adminProcedure } from "../../procedures.ts";

/** A link to Stripe's customer portal: cards, the plan, invoices. */
export const portalProcedure = adminProcedure.mutation(({ ctx }) => portalSession(ctx.deps, ctx.tenant.id));
