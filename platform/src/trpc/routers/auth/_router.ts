import { router } from "../../init.ts";
import { meProcedure } from "./me.ts";
import { requestPasswordResetProcedure } from "./requestPasswordReset.ts";
import { resetPasswordProcedure } from "./resetPassword.ts";
import { signInProcedure } from "./signIn.ts";
import { signOutProcedure } from "./signOut.ts";
import { signUpProcedure } from "./signUp.ts";

export const authRouter = router({
  signUp: signUpProcedure,
  signIn: signInProcedure,
  signOut: signOutProcedure,
  me: meProcedure,
  requestPasswordReset: requestPasswordResetProcedure,
  resetPassword: resetPasswordProcedure,
});
