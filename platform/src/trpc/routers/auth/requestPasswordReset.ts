import { z } from "zod";
import { requestPasswordReset } from "../../../auth/reset.ts";
import { publicProcedure } from "../../procedures.ts";
import { email } from "./inputs.ts";

/** Sends a reset link if the e-mail has an account; the answer is the same whether it has or not. */
export const requestPasswordResetProcedure = publicProcedure
  .input(z.strictObject({ email }))
  .mutation(({ ctx, input }) => requestPasswordReset(ctx.deps, input, ctx.ip));
