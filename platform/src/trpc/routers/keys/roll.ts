import { apiKeyId } from "@bizbot/shared";
import { z } from "zod";
import { rollKey } from "../../../keys/service.ts";
import { adminProcedure } from "../../procedures.ts";

export const rollKeyProcedure = adminProcedure
  .input(
    z.strictObject({
      id: apiKeyId,
      /** How long the old key keeps working, so deployments can switch over; 0 revokes it at once. */
      graceSeconds: z
        .int()
        .min(0)
        .max(7 * 86_400)
        .default(0),
    }),
  )
  .mutation(({ ctx, input }) => rollKey(ctx.deps, ctx.actor, ctx.tenant.id, input.id, input.graceSeconds));
