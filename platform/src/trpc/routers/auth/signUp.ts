import { signUp } from "../../../auth/service.ts";
import { publicProcedure } from "../../procedures.ts";
import { signUpInput } from "./inputs.ts";

export const signUpProcedure = publicProcedure.input(signUpInput).mutation(({ ctx, input }) => signUp(ctx.deps, input, ctx.ip));
