import { invitationPreview } from "../../../team/service.ts";
import { publicProcedure } from "../../procedures.ts";
import { tokenInput } from "./schemas.ts";

/** What an invitation link is for, before signing in or up: the token is the credential. */
export const invitationProcedure = publicProcedure.input(tokenInput).query(({ ctx, input }) => invitationPreview(ctx.deps.db, input.token));
