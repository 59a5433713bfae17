import { removeMember } from "../../../team/service.ts";
import { memberProcedure } from "../../procedures.ts";
import { memberInput } from "./schemas.ts";

/** An owner removes a member; anyone may remove themselves (leave). The service decides which, under its lock. */
export const removeMemberProcedure = memberProcedure
  .input(memberInput)
  .mutation(({ ctx, input }) => removeMember(ctx.deps.db, ctx.actor, ctx.tenant.id, input.userId));
