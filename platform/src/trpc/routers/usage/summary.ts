import { usageSummary } from "../../../usage/service.ts";
import { memberProcedure } from "../../procedures.ts";
import { summaryInput, summaryOutput } from "./schemas.ts";

/** The portal's dashboard: balance, spending and activity per UTC day, per agent, conversations' outcomes, the trial funnel. */
export const summaryProcedure = memberProcedure
  .input(summaryInput)
  .output(summaryOutput)
  .query(({ ctx, input }) => usageSummary(ctx.deps, ctx.tenant.id, input.days));
