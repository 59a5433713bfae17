import { listMemberships } from "../../../auth/repository.ts";
import { userProcedure } from "../../procedures.ts";

export const meProcedure = userProcedure.query(async ({ ctx }) => ({
  user: ctx.user,
  sessionExpiresAt: ctx.session.expires_at.toISOString(),
  memberships: await listMemberships(ctx.deps.db, ctx.user.id),
}));
