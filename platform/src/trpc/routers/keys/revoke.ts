import { apiKeyId } from "@bizbot/shared";
import { z } from "zod";
import { revokeKey } from "../../../keys/service.ts";
import { adminProcedure } from "../../procedures.ts";

export const revokeKeyProcedure = adminProcedure
  .input(z.strictObject({ id: apiKeyId }))
  .mutation(({ ctx, input }) => revokeKey(ctx.deps, ctx.actor, ctx.tenant.id, input.id));
