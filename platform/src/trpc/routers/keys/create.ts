import { allowedOrigins, keyKind, keyMode } from "@bizbot/shared";
import { z } from "zod";
import { createKey } from "../../../keys/service.ts";
import { adminProcedure } from "../../procedures.ts";

export const createKeyInput = z.strictObject({
  kind: keyKind,
  mode: keyMode,
  name: z.string().trim().max(100).optional(),
  allowedOrigins: allowedOrigins.optional(),
  expiresInDays: z.int().min(1).max(3650).optional(),
});

/** Answers the full key: the only time it is ever shown. */
export const createKeyProcedure = adminProcedure.input(createKeyInput).mutation(({ ctx, input }) =>
  createKey(ctx.deps, ctx.actor, ctx.tenant.id, {
    ...input,
    expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
  }),
);
