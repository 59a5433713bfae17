import { z } from "zod";

/** An idempotency key: any client-chosen string; retries with the same key return the first result. */
export const idempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

export const creditAmount = z.int().min(1).max(100_000_000);

export interface CreditBalance {
  balance: number;
  held: number;
  available: number;
}
