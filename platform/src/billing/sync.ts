import type Stripe from "stripe";
import { billingProducts } from "@bizbot/shared";
import { applyEvent, HANDLED_EVENTS, type BillingEventDeps, type EventOutcome } from "./events.ts";
import type { StripeClient } from "./stripe.ts";

export interface SyncResult {
  /** Lookup keys whose price was made now. */
  created: string[];
  /** Lookup keys already on a price of the right amount. */
  existing: string[];
  /** Lookup keys moved to a new price because the old one's amount or interval was not ours. */
  replaced: string[];
}

/**
 * Makes sure each product has an active Stripe price under its lookup key: creates the missing ones, and moves a
 * key whose price no longer matches (another amount, not monthly) to a new price. Running it again changes nothing;
 * its idempotency keys make a retried run create nothing twice.
 */
export async function syncPrices(stripe: StripeClient): Promise<SyncResult> {
  const keys = billingProducts.map((p) => p.lookupKey);
  const found = await stripe.api.prices.list({ lookup_keys: keys, active: true, limit: 100 });
  const result: SyncResult = { created: [], existing: [], replaced: [] };
  for (const product of billingProducts) {
    const price = found.data.find((p) => p.lookup_key === product.lookupKey);
    const amount = product.usd * 100;
    const monthly = product.kind === "plan";
    const matches = price && price.unit_amount === amount && price.currency === "usd" && (price.recurring?.interval === "month") === monthly;
    if (matches) {
      result.existing.push(product.lookupKey);
      continue;
    }
    await stripe.api.prices.create(
      {
        currency: "usd",
        unit_amount: amount,
        lookup_key: product.lookupKey,
        transfer_lookup_key: Boolean(price),
        ...(monthly ? { recurring: { interval: "month" as const } } : {}),
        product_data: { name: product.name, metadata: { bizbot_product: product.id } },
        metadata: { product: product.id, credits: String(product.credits) },
      },
      { idempotencyKey: `bizbot-price:${product.lookupKey}:${amount}:${monthly ? "month" : "once"}:${price?.id ?? "new"}` },
    );
    (price ? result.replaced : result.created).push(product.lookupKey);
  }
  return result;
}

export type ReconcileResult = Record<EventOutcome, number> & { read: number };

/**
 * Reads Stripe's events since `since` and applies each through the webhook's own path, oldest first: what a missed
 * or failed delivery left out is applied, what was applied is found and skipped.
 */
export async function reconcile(deps: BillingEventDeps, since: Date, onProgress?: (done: number, total: number) => void): Promise<ReconcileResult> {
  const events: Stripe.Event[] = [];
  const list = deps.stripe.api.events.list({ created: { gte: Math.floor(since.getTime() / 1000) }, types: [...HANDLED_EVENTS], limit: 100 });
  for await (const event of list) events.push(event);
  events.reverse();
  const result: ReconcileResult = { read: events.length, applied: 0, duplicate: 0, deferred: 0 };
  for (const [i, event] of events.entries()) {
    result[await applyEvent(deps, event, "reconcile")]++;
    onProgress?.(i + 1, events.length);
  }
  return result;
}
