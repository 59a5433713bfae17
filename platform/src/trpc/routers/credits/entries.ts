import { ledgerPage } from "../../../credits/service.ts";
import { tenantProcedure } from "../../procedures.ts";
import { ledgerInput, ledgerOutput } from "./schemas.ts";

export const entriesProcedure = tenantProcedure
  .meta({ tier: "tenant", rest: { method: "GET", path: "/credits/ledger", summary: "Credit ledger, newest first, by cursor" } })
  .input(ledgerInput)
  .output(ledgerOutput)
  .query(({ ctx, input }) => ledgerPage(ctx.deps.db, ctx.tenant.id, input.cursor ?? null, input.limit));
