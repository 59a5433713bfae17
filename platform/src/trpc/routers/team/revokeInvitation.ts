import { invitationId } from "@bizbot/shared";
import { z } from "zod";
import { revokeInvitation } from "../../../team/service.ts";
import { ownerProcedure } from "../../procedures.ts";

export const revokeInvitationProcedure = ownerProcedure
  .input(z.strictObject({ id: invitationId }))
  .mutation(({ ctx, input }) => revokeInvitation(ctx.deps.db, ctx.actor, ctx.tenant.id, input.id));
