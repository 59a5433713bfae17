import { signOut } from "../../../auth/service.ts";
import { userProcedure } from "../../procedures.ts";

export const signOutProcedure = userProcedure.mutation(async ({ ctx }) => {
  await signOut(ctx.deps.db, ctx.session.id);
  return { signedOut: true };
});
