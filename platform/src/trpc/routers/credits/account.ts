import { getBalance } from "../../../credits/service.ts";
import { tenantProcedure } from "../../procedures.ts";
import { balanceOutput } from "./schemas.ts";

/** The calling key's tenant's credits, for servers. */
export const accountProcedure = tenantProcedure
  .meta({ tier: "tenant", rest: { method: "GET", path: "/credits", summary: "Credit balance: {balance, held, available}" } })
  .output(balanceOutput)
  .query(({ ctx }) => getBalance(ctx.deps.db, ctx.tenant.id));
