import { billingStatus } from "../../../billing/service.ts";
import { memberProcedure } from "../../procedures.ts";
import { statusOutput } from "./schemas.ts";

/** Whether billing is configured, the plan, auto top-up and the latest payments: from our records, no call to Stripe. */
export const statusProcedure = memberProcedure.output(statusOutput).query(({ ctx }) => billingStatus(ctx.deps, ctx.tenant.id));
