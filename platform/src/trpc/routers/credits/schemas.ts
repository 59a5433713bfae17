import { z } from "zod";

export const balanceOutput = z.object({ balance: z.number(), held: z.number(), available: z.number() });

export const ledgerInput = z.strictObject({
  /** The `nextCursor` of the previous page; absent for the newest entries. */
  cursor: z
    .string()
    .regex(/^\d{1,19}$/, "must be a cursor from a previous page")
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ledgerOutput = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      delta: z.number(),
      balanceAfter: z.number(),
      kind: z.enum(["grant", "purchase", "debit", "settle", "refund", "clawback"]),
      reference: z.string().nullable(),
      idempotencyKey: z.string(),
      actor: z.object({ type: z.string(), id: z.string().nullable() }),
      createdAt: z.string(),
    }),
  ),
  nextCursor: z.string().nullable(),
});
