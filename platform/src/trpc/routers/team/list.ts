import { listTeam } from "../../../team/service.ts";
import { memberProcedure } from "../../procedures.ts";

/** Every member may see who is on the team and who is invited. */
export const listTeamProcedure = memberProcedure.query(({ ctx }) => listTeam(ctx.deps.db, ctx.tenant.id));
