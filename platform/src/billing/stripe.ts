import Stripe from "stripe";
import { billingProduct, billingProducts, type BillingProduct } from "@bizbot/shared";
import { DomainError } from "../errors.ts";

/** A looked-up price id is kept this long: `bizbot stripe sync` may move a lookup key to a new price meanwhile. */
const PRICE_TTL_MS = 5 * 60_000;

/**
 * The Stripe SDK, pointed at STRIPE_API_URL when set (a stand-in in tests), and the price ids of our products by
 * their lookup keys. Every call that creates something carries an idempotency key; the SDK retries network failures
 * with the same key.
 */
export class StripeClient {
  readonly api: Stripe;
  private readonly prices = new Map<string, { id: string; at: number }>();
  /** A price's amount and product never change, so what it sells is kept for good. */
  private readonly products = new Map<string, BillingProduct | null>();

  constructor(secretKey: string, apiUrl?: string) {
    const target = apiUrl ? new URL(apiUrl) : null;
    const protocol = target?.protocol === "http:" ? "http" : "https";
    this.api = new Stripe(secretKey, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      appInfo: { name: "BizBot" },
      ...(target ? { host: target.hostname, port: target.port || (protocol === "http" ? 80 : 443), protocol } : {}),
    });
  }

  /** The active price with this lookup key; a missing one means `bizbot stripe sync` has not been run. */
  async priceId(lookupKey: string): Promise<string> {
    const known = this.prices.get(lookupKey);
    if (known && Date.now() - known.at < PRICE_TTL_MS) return known.id;
    const found = await call(() => this.api.prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 }));
    const price = found.data[0];
    if (!price) throw new DomainError("unavailable", `No Stripe price has the lookup key ${lookupKey}; the operator should run \`bizbot stripe sync\``);
    this.prices.set(lookupKey, { id: price.id, at: Date.now() });
    return price.id;
  }

  /**
   * Which of our products a price sells: by the product id `bizbot stripe sync` writes in its metadata, else by its
   * lookup key. An invoice names its price only by id, and after a plan change in Stripe's portal the subscription's
   * metadata still names the plan it started with: the price is what was paid for.
   */
  async productOfPrice(priceId: string): Promise<BillingProduct | null> {
    if (this.products.has(priceId)) return this.products.get(priceId)!;
    const price = await call(() => this.api.prices.retrieve(priceId));
    const product = billingProduct(price.metadata?.product ?? "") ?? billingProducts.find((p) => p.lookupKey === price.lookup_key) ?? null;
    this.products.set(priceId, product);
    return product;
  }
}

/**
 * A Stripe call whose failure the caller cannot fix is "unavailable" (503), in words that say so; a refusal of the
 * request itself (a card error, an invalid request) keeps Stripe's message.
 */
export async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw stripeFailure(error);
  }
}

export function stripeFailure(error: unknown): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  if (error instanceof Stripe.errors.StripeCardError) return new DomainError("payment_required", error.message, { code: error.code ?? null });
  if (error instanceof Stripe.errors.StripeIdempotencyError)
    return new DomainError("conflict", `That idempotency key was used for another request: ${error.message}`);
  if (error instanceof Stripe.errors.StripeInvalidRequestError) return new DomainError("invalid_input", `Stripe refused the request: ${error.message}`);
  return new DomainError("unavailable", `Stripe could not be reached or failed (${error.type}); try again in a moment`);
}
