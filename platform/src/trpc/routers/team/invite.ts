import { z } from "zod";
import { invite } from "../../../team/service.ts";
import { ownerProcedure } from "../../procedures.ts";
import { email } from "../auth/inputs.ts";
import { invitedRole } from "./schemas.ts";

/** E-mails a link to join; inviting the address again replaces its open invitation. */
export const inviteProcedure = ownerProcedure.input(z.strictObject({ email, role: invitedRole })).mutation(async ({ ctx, input }) => {
  const invitation = await invite(ctx.deps, ctx.actor, ctx.tenant.id, input);
  ctx.deps.outbox.kick();
  return invitation;
});
