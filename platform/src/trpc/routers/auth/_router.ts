import { router } from "../../init.ts";
import { meProcedure } from "./me.ts";
import { signInProcedure } from "./signIn.ts";
import { signOutProcedure } from "./signOut.ts";
import { signUpProcedure } from "./signUp.ts";

export const authRouter = router({
  signUp: signUpProcedure,
  signIn: signInProcedure,
  signOut: signOutProcedure,
  me: meProcedure,
});
