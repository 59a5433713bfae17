import { signIn } from "../../../auth/service.ts";
import { publicProcedure } from "../../procedures.ts";
import { signInInput } from "./inputs.ts";

export const signInProcedure = publicProcedure.input(signInInput).mutation(({ ctx, input }) => signIn(ctx.deps, input, ctx.ip));
