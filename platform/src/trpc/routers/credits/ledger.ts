import { ledgerPage } from "../../../credits/service.ts";
import { memberProcedure } from "../../procedures.ts";
import { ledgerInput, ledgerOutput } from "./schemas.ts";

export const ledgerProcedure = memberProcedure
  .input(ledgerInput)
  .output(ledgerOutput)
  .query(({ ctx, input }) => ledgerPage(ctx.deps.db, ctx.tenant.id, input.cursor ?? null, input.limit));
