import { allowedOrigins, apiKeyId } from "@bizbot/shared";
import { z } from "zod";
import { updateKey } from "../../../keys/service.ts";
import { adminProcedure } from "../../procedures.ts";

/** Renames a key, or replaces a publishable key's allowed origins (effective at once on every instance). */
export const updateKeyProcedure = adminProcedure
  .input(
    z.strictObject({
      id: apiKeyId,
      name: z.string().trim().max(100).optional(),
      /** The whole new list, replacing the old one; publishable keys only. */
      allowedOrigins: allowedOrigins.optional(),
    }),
  )
  .mutation(({ ctx, input }) => updateKey(ctx.deps, ctx.actor, ctx.tenant.id, input.id, { name: input.name, allowedOrigins: input.allowedOrigins }));
