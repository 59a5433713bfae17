import { z } from "zod";
import { billingProductIds, idempotencyKey, packageIds } from "@bizbot/shared";

export const checkoutInput = z.strictObject({
  product: z.enum(billingProductIds),
  /** The same key returns the same Checkout page (a double click, a retried request); by default each call makes one. */
  idempotencyKey: idempotencyKey.optional(),
});

export const autoTopUpInput = z.strictObject({
  enabled: z.boolean(),
  /** Buy when available credits fall under this. */
  threshold: z.int().min(1).max(1_000_000),
  product: z.enum(packageIds),
});

export const autoTopUpOutput = z.object({
  enabled: z.boolean(),
  threshold: z.number(),
  product: z.string(),
  attemptedAt: z.string().nullable(),
  error: z.string().nullable(),
  failedAt: z.string().nullable(),
});

export const statusOutput = z.object({
  configured: z.boolean(),
  plan: z.object({ product: z.string(), status: z.string(), currentPeriodEnd: z.string().nullable(), cancelAtPeriodEnd: z.boolean() }).nullable(),
  autoTopUp: autoTopUpOutput,
  hasPaymentMethod: z.boolean(),
  payments: z.array(
    z.object({
      reference: z.string(),
      kind: z.string(),
      product: z.string(),
      credits: z.number(),
      amount: z.number(),
      currency: z.string(),
      refundedCredits: z.number(),
      disputedCredits: z.number(),
      createdAt: z.string(),
    }),
  ),
});

export const invoicesOutput = z.object({
  invoices: z.array(
    z.object({
      id: z.string(),
      number: z.string().nullable(),
      createdAt: z.string(),
      amountPaid: z.number(),
      currency: z.string(),
      status: z.string().nullable(),
      description: z.string(),
      url: z.string().nullable(),
      pdf: z.string().nullable(),
    }),
  ),
});

export const checkoutResultInput = z.strictObject({
  sessionId: z.string().regex(/^cs_[A-Za-z0-9_]{1,200}$/, "must be a Checkout session id (cs_…)"),
});

export const checkoutResultOutput = z.object({
  state: z.enum(["paid", "pending"]),
  product: z.string().nullable(),
  credits: z.number().nullable(),
});
