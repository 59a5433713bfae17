import { changeRole } from "../../../team/service.ts";
import { ownerProcedure } from "../../procedures.ts";
import { memberInput, role } from "./schemas.ts";

export const changeRoleProcedure = ownerProcedure
  .input(memberInput.extend({ role }))
  .mutation(({ ctx, input }) => changeRole(ctx.deps.db, ctx.actor, ctx.tenant.id, input.userId, input.role));
