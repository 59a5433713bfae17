import Stripe from "stripe";
import { billingProduct } from "@bizbot/shared";
import { insertAudit } from "../audit/repository.ts";
import { portalUrlOf } from "../env.ts";
import { topUpFailedEmail, tellOwners } from "./emails.ts";
import { applyTopUp, type BillingEventDeps } from "./events.ts";
import { claimTopUp, dueTopUps, updateAccount } from "./repository.ts";

export type TopUpOutcome = "charged" | "failed" | "not_due";

/**
 * Buys the tenant's chosen package with its saved card, off-session, when its available credits are under the
 * threshold and it has not tried in the last day. The day's attempt is claimed in one statement first, so of any
 * number of callers racing (spends, instances, sweeps) one charges. The credits come through the same path as the
 * webhook's payment_intent.succeeded (keyed by the payment intent), so whichever arrives first adds them, once.
 */
export async function topUp(deps: BillingEventDeps, tenantId: string): Promise<TopUpOutcome> {
  const claim = await claimTopUp(deps.db, tenantId);
  if (!claim) return "not_due";
  const product = billingProduct(claim.product);
  if (product?.kind !== "package") return fail(deps, tenantId, `the chosen package "${claim.product}" no longer exists`);
  try {
    const intent = await deps.stripe.api.paymentIntents.create(
      {
        amount: product.usd * 100,
        currency: "usd",
        customer: claim.customer_id,
        payment_method: claim.payment_method_id,
        off_session: true,
        confirm: true,
        description: `Auto top-up: ${product.name}`,
        metadata: { tenant_id: tenantId, product: product.id, kind: "auto_top_up" },
      },
      // One key per claimed day: a retry of this call can never charge twice.
      { idempotencyKey: `bizbot-top-up:${tenantId}:${claim.attempted_at.toISOString()}` },
    );
    if (intent.status !== "succeeded") return fail(deps, tenantId, `the payment needs attention in Stripe (status ${intent.status})`);
    await applyTopUp(deps, tenantId, intent);
    return "charged";
  } catch (error) {
    // A refusal (a declined card, a card no longer attached) is Stripe's to explain.
    if (error instanceof Stripe.errors.StripeCardError || error instanceof Stripe.errors.StripeInvalidRequestError) return fail(deps, tenantId, error.message);
    // Not knowing whether it charged, the day's attempt stays spent: if it did, its webhook adds the credits.
    if (error instanceof Stripe.errors.StripeError) {
      return fail(
        deps,
        tenantId,
        `Stripe could not be reached (${error.type}); if the payment went through its credits are added, otherwise the next try is in a day`,
      );
    }
    throw error;
  }
}

/** Shown on the billing page and e-mailed to the owners. */
async function fail(deps: BillingEventDeps, tenantId: string, reason: string): Promise<TopUpOutcome> {
  await deps.db.transaction().execute(async (trx) => {
    await updateAccount(trx, tenantId, { auto_top_up_error: reason.slice(0, 500), auto_top_up_failed_at: new Date() });
    await insertAudit(trx, { type: "system", id: null }, { tenantId, action: "billing.top_up_failed", metadata: { reason } });
    await tellOwners(trx, tenantId, topUpFailedEmail({ reason, portalUrl: portalUrlOf(deps.env) }));
  });
  deps.log.warn({ tenantId, reason }, "auto top-up failed");
  return "failed";
}

/** One sweep: every tenant due a top-up, one after another. */
export async function runDueTopUps(deps: BillingEventDeps): Promise<number> {
  let charged = 0;
  for (const tenantId of await dueTopUps(deps.db, 100)) {
    // One tenant's trouble is logged and the sweep goes on to the next.
    const outcome = await topUp(deps, tenantId).catch((error: unknown) => {
      deps.log.error({ err: error, tenantId }, "auto top-up failed unexpectedly");
      return "failed" as const;
    });
    if (outcome === "charged") charged++;
  }
  return charged;
}
