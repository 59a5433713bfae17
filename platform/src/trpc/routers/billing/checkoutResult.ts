import { checkoutResult } from "../../../billing/service.ts";
import { memberProcedure } from "../../procedures.ts";
import { checkoutResultInput, checkoutResultOutput } from "./schemas.ts";

/** Back from Checkout: whether its credits are in yet. */
export const checkoutResultProcedure = memberProcedure
  .input(checkoutResultInput)
  .output(checkoutResultOutput)
  .query(({ ctx, input }) => checkoutResult(ctx.deps, ctx.tenant.id, input.sessionId));
