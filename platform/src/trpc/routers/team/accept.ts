import { acceptInvitation } from "../../../team/service.ts";
import { userProcedure } from "../../procedures.ts";
import { tokenInput } from "./schemas.ts";

/** A signed-in user joins the inviting tenant, if the invitation is to their e-mail address. */
export const acceptInvitationProcedure = userProcedure
  .input(tokenInput)
  .mutation(({ ctx, input }) => acceptInvitation(ctx.deps.db, input.token, ctx.user, { type: "user", id: ctx.user.id, ip: ctx.ip }));
