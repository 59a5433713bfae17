import { router } from "../../init.ts";
import { acceptInvitationProcedure } from "./accept.ts";
import { changeRoleProcedure } from "./changeRole.ts";
import { invitationProcedure } from "./invitation.ts";
import { inviteProcedure } from "./invite.ts";
import { listTeamProcedure } from "./list.ts";
import { removeMemberProcedure } from "./remove.ts";
import { revokeInvitationProcedure } from "./revokeInvitation.ts";

export const teamRouter = router({
  list: listTeamProcedure,
  invite: inviteProcedure,
  revokeInvitation: revokeInvitationProcedure,
  changeRole: changeRoleProcedure,
  remove: removeMemberProcedure,
  invitation: invitationProcedure,
  accept: acceptInvitationProcedure,
});
