import { getBalance } from "../../../credits/service.ts";
import { memberProcedure } from "../../procedures.ts";
import { balanceOutput } from "./schemas.ts";

export const balanceProcedure = memberProcedure.output(balanceOutput).query(({ ctx }) => getBalance(ctx.deps.db, ctx.tenant.id));
