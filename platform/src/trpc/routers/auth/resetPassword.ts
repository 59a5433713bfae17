import { z } from "zod";
import { resetPassword } from "../../../auth/reset.ts";
import { publicProcedure } from "../../procedures.ts";
import { password } from "./inputs.ts";

/** The token from a reset link (20 random bytes, base32), checked for shape here and for validity in the service. */
const resetToken = z.string().regex(/^[a-z2-7]{32}$/, "is not a reset token from our e-mail");

/** Sets a new password with a reset link's token: ends every session of the user and answers as signIn does. */
export const resetPasswordProcedure = publicProcedure
  .input(z.strictObject({ token: resetToken, password }))
  .mutation(({ ctx, input }) => resetPassword(ctx.deps, input, ctx.ip));
