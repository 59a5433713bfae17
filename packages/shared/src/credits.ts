import { z } from "zod";

/** One credit is $0.04 (the product brief). */
export const CREDIT_PRICE_USD = 0.04;

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

/** One-time packages and monthly tiers share these sizes; the larger ones carry a bonus over $0.04 a credit. */
export const creditPackages = [
  { id: "starter", usd: 20, credits: 500 },
  { id: "professional", usd: 50, credits: 1500 },
  { id: "business", usd: 100, credits: 3500 },
  { id: "enterprise", usd: 250, credits: 10000 },
] as const;
