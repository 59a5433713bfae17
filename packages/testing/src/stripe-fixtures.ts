import Stripe from "stripe";
import { expect } from "vitest";
import type { StripeStandIn } from "./stripe-server.ts";

/** What the tests of the Stripe stand-in share: the real SDK pointed at it, a catalogue, a customer who paid. */

let unique = 0;
/** A lookup key no other test has used: the tests of a file share one stand-in. */
export const uniqueKey = (name: string) => `${name}_${++unique}_${Date.now()}`;

export const idLike = (prefix: string) => expect.stringMatching(new RegExp(`^${prefix}_[0-9A-Za-z]+$`));

export function stripeClient(standIn: StripeStandIn, options: Partial<Stripe.StripeConfig> = {}): Stripe {
  const port = Number(new URL(standIn.url).port);
  return new Stripe(standIn.secretKey, { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0, ...options });
}

export async function rejection<T extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}

export const eventTypes = (events: Stripe.Event[]) => events.map((e) => e.type);
export const objectOf = <T>(events: Stripe.Event[], type: string) => events.find((e) => e.type === type)!.data.object as T;

/** A one-time price and a monthly one, with fresh lookup keys. */
export async function catalogue(stripe: Stripe, unitAmount = 2000) {
  const product = await stripe.products.create({ name: "BizBot Starter" });
  const once = await stripe.prices.create({ product: product.id, currency: "usd", unit_amount: unitAmount, lookup_key: uniqueKey("starter") });
  const monthly = await stripe.prices.create({
    product_data: { name: "BizBot Starter monthly" },
    currency: "usd",
    unit_amount: unitAmount,
    recurring: { interval: "month" },
    lookup_key: uniqueKey("starter_monthly"),
  });
  return { product, once, monthly };
}

/** A customer subscribed to `monthly` through Checkout. */
export async function subscribe(stripe: Stripe, standIn: StripeStandIn, monthly: Stripe.Price, metadata = { tenant_id: "t1", product: "starter-monthly" }) {
  const customer = await stripe.customers.create({ email: "owner@example.com", name: "Owner" });
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    line_items: [{ price: monthly.id, quantity: 1 }],
    subscription_data: { metadata },
    success_url: "https://app.example/billing?session={CHECKOUT_SESSION_ID}",
  });
  const events = await standIn.completeCheckout(session.id);
  const subscription = objectOf<Stripe.Subscription>(events, "customer.subscription.created");
  return { customer, session, events, subscription };
}

/** A customer who bought once at Checkout and saved the card for later. */
export async function savedCard(stripe: Stripe, standIn: StripeStandIn) {
  const { once } = await catalogue(stripe);
  const customer = await stripe.customers.create({ email: "saver@example.com" });
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    customer: customer.id,
    line_items: [{ price: once.id, quantity: 1 }],
    payment_intent_data: { setup_future_usage: "off_session" },
  });
  await standIn.completeCheckout(session.id);
  const methods = await stripe.customers.listPaymentMethods(customer.id, { type: "card" });
  return { customer, method: methods.data[0]! };
}

/** A paid one-time purchase: its payment intent, for refunds and disputes. */
export async function paidPurchase(stripe: Stripe, standIn: StripeStandIn): Promise<string> {
  const { once } = await catalogue(stripe);
  const session = await stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: once.id, quantity: 1 }] });
  const completed = objectOf<Stripe.Checkout.Session>(await standIn.completeCheckout(session.id), "checkout.session.completed");
  return completed.payment_intent as string;
}
