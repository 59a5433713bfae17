import type Stripe from "stripe";
import * as build from "./stripe-billing-objects.ts";
import type { StripeLedger } from "./stripe-ledger.ts";
import { advance, now, paymentIntent, stripeId } from "./stripe-objects.ts";

/** Subscriptions and their invoices: the first one paid at checkout, renewals charged to the saved method. */

/**
 * Starts a subscription of a session's recurring lines and pays its first invoice, which bills every line (one-time
 * ones too). Events: customer.subscription.created, the payment's, invoice.paid.
 */
export function startSubscription(
  ledger: StripeLedger,
  payer: Stripe.Customer,
  method: Stripe.PaymentMethod,
  lineItems: Stripe.LineItem[],
  asked: { metadata: Stripe.Metadata; description: string | null },
): { subscription: Stripe.Subscription; invoice: Stripe.Invoice } {
  const start = now();
  const id = stripeId("sub");
  const billed = lineItems.map((line): build.Billed => {
    const price = line.price!;
    const end = price.recurring ? advance(start, price.recurring.interval, price.recurring.interval_count) : start;
    const item = price.recurring ? build.subscriptionItem(id, price, line.quantity ?? 1, start, end) : null;
    return { price, productName: line.description ?? "", quantity: line.quantity ?? 1, period: { start, end }, item };
  });
  const items = billed.flatMap((b) => (b.item ? [b.item] : []));
  const fields = { customer: payer.id, currency: lineItems[0]!.currency, default_payment_method: method.id, start_date: start, ...asked };
  const subscription = ledger.add(ledger.subscriptions, build.subscription(id, fields, items));
  const invoice = openInvoice(ledger, subscription, "subscription_create", billed, { start, end: start });
  ledger.emit("customer.subscription.created", subscription);
  collect(ledger, subscription, invoice, method);
  return { subscription, invoice };
}

/** A finalized invoice of a subscription, the subscription's latest. */
function openInvoice(
  ledger: StripeLedger,
  subscription: Stripe.Subscription,
  reason: Stripe.Invoice.BillingReason,
  billed: build.Billed[],
  period: { start: number; end: number },
): Stripe.Invoice {
  const payer = ledger.customers.get(subscription.customer as string)!;
  const fields = { billing_reason: reason, currency: subscription.currency, period_start: period.start, period_end: period.end, metadata: {} };
  const invoice = ledger.add(ledger.invoices, build.invoice(payer, fields, billed, subscription, ledger.baseUrl));
  subscription.latest_invoice = invoice.id;
  return invoice;
}

/**
 * Charges a subscription invoice to the saved method, off-session: the customer's card behaviour decides. A paid
 * invoice announces invoice.paid; a declined one invoice.payment_failed, and the subscription falls past due.
 */
function collect(ledger: StripeLedger, subscription: Stripe.Subscription, invoice: Stripe.Invoice, method: Stripe.PaymentMethod): void {
  const description = invoice.billing_reason === "subscription_create" ? "Subscription creation" : "Subscription update";
  const intent = ledger.add(
    ledger.paymentIntents,
    paymentIntent({
      amount: invoice.amount_due,
      currency: invoice.currency,
      customer: invoice.customer as string,
      description,
      metadata: {},
      payment_method: method.id,
      payment_method_types: ["card"],
      setup_future_usage: null,
      status: "requires_confirmation",
    }),
  );
  // The first payment is made on the checkout page, by a card just entered; renewals use the saved one.
  ledger.charge(intent, method, invoice.billing_reason === "subscription_create" ? null : ledger.declineFor(method));
  Object.assign(invoice, { attempted: true, attempt_count: invoice.attempt_count + 1 });
  if (intent.status !== "succeeded") {
    ledger.add(ledger.invoicePayments, build.invoicePayment(invoice, intent));
    invoice.next_payment_attempt = now() + 3 * 86_400;
    ledger.emit("invoice.payment_failed", invoice);
    setStatus(ledger, subscription, "past_due");
    return;
  }
  payInvoice(ledger, invoice, intent);
  setStatus(ledger, subscription, "active");
}

function setStatus(ledger: StripeLedger, subscription: Stripe.Subscription, status: Stripe.Subscription.Status): void {
  if (subscription.status === status) return;
  const previous = { status: subscription.status };
  subscription.status = status;
  ledger.emit("customer.subscription.updated", subscription, previous);
}

/** Records the payment of an invoice by a succeeded PaymentIntent, listed by GET /v1/invoice_payments. */
export function payInvoice(ledger: StripeLedger, invoice: Stripe.Invoice, intent: Stripe.PaymentIntent): void {
  const at = now();
  Object.assign(invoice, {
    status: "paid",
    amount_paid: intent.amount,
    amount_remaining: 0,
    attempted: true,
    attempt_count: Math.max(invoice.attempt_count, 1),
    next_payment_attempt: null,
    status_transitions: { ...invoice.status_transitions, paid_at: at },
  });
  ledger.add(ledger.invoicePayments, build.invoicePayment(invoice, intent));
  ledger.emit("invoice.paid", invoice);
}

function live(ledger: StripeLedger, subscriptionId: string): Stripe.Subscription {
  const subscription = ledger.get(ledger.subscriptions, "subscription", subscriptionId);
  if (subscription.status === "canceled") throw new Error(`Subscription ${subscriptionId} is canceled`);
  return subscription;
}

/**
 * The period ends: the items move to the next period (counted from the billing anchor, so a month after Jan 31 ends
 * on the last of February and the next on Mar 31) and the new period's invoice is charged. A subscription set to
 * cancel at the period's end ends instead.
 */
export function renewSubscription(ledger: StripeLedger, subscriptionId: string): void {
  const subscription = live(ledger, subscriptionId);
  if (subscription.cancel_at_period_end) {
    end(ledger, subscription);
    return;
  }
  const previous = { items: structuredClone(subscription.items), latest_invoice: subscription.latest_invoice };
  const first = subscription.items.data[0]!;
  // The invoice's own period looks one period back, at the period just ended.
  const ended = { start: first.current_period_start, end: first.current_period_end };
  const billed = subscription.items.data.map((item): build.Billed => {
    const { interval, interval_count: count } = item.price.recurring!;
    let periods = 1;
    while (advance(subscription.billing_cycle_anchor, interval, periods * count) <= item.current_period_end) periods++;
    item.current_period_start = item.current_period_end;
    item.current_period_end = advance(subscription.billing_cycle_anchor, interval, periods * count);
    const productName = ledger.products.get(item.price.product as string)?.name ?? "";
    return { price: item.price, productName, quantity: item.quantity ?? 1, period: { start: item.current_period_start, end: item.current_period_end }, item };
  });
  const invoice = openInvoice(ledger, subscription, "subscription_cycle", billed, ended);
  ledger.emit("customer.subscription.updated", subscription, previous);
  collect(ledger, subscription, invoice, ledger.paymentMethods.get(subscription.default_payment_method as string)!);
}

/** The customer switches plan in the portal: the first item takes the active price with `lookupKey`; no proration is billed. */
export function changeSubscription(ledger: StripeLedger, subscriptionId: string, lookupKey: string): void {
  const subscription = live(ledger, subscriptionId);
  const price = [...ledger.prices.values()].find((p) => p.active && p.lookup_key === lookupKey);
  if (!price?.recurring) throw new Error(`No active recurring price has the lookup key ${lookupKey}`);
  const previous = { items: structuredClone(subscription.items) };
  const item = subscription.items.data[0]!;
  Object.assign(item, { price, plan: build.plan(price) });
  ledger.emit("customer.subscription.updated", subscription, previous);
}

/** The customer cancels in the portal: now (customer.subscription.deleted) or at the period's end (…updated). */
export function cancelSubscription(ledger: StripeLedger, subscriptionId: string, atPeriodEnd: boolean): void {
  const subscription = live(ledger, subscriptionId);
  const details = { ...subscription.cancellation_details!, reason: "cancellation_requested" as const };
  if (!atPeriodEnd) {
    subscription.cancellation_details = details;
    end(ledger, subscription);
    return;
  }
  const { cancel_at, canceled_at, cancellation_details } = subscription;
  const previous = { cancel_at_period_end: false, cancel_at, canceled_at, cancellation_details };
  // canceled_at is when the cancellation was asked for; ended_at will say when it took effect.
  const asked = { cancel_at_period_end: true, cancel_at: subscription.items.data[0]!.current_period_end, canceled_at: now(), cancellation_details: details };
  Object.assign(subscription, asked);
  ledger.emit("customer.subscription.updated", subscription, previous);
}

function end(ledger: StripeLedger, subscription: Stripe.Subscription): void {
  const at = now();
  Object.assign(subscription, { status: "canceled", canceled_at: subscription.canceled_at ?? at, ended_at: at });
  ledger.emit("customer.subscription.deleted", subscription);
}
