import { userMemberships } from "../../../auth/service.ts";
import { userProcedure } from "../../procedures.ts";

export const meProcedure = userProcedure.query(async ({ ctx }) => ({
  user: ctx.user,
  sessionExpiresAt: ctx.session.expires_at.toISOString(),
  memberships: await userMemberships(ctx.deps.db, ctx.user.id),
}));
