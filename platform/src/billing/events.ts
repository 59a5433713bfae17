import type { Kysely, Transaction } from "kysely";
import type { Logger } from "pino";
import Stripe from "stripe";
import { billingProduct, billingProducts, type BillingProduct } from "@bizbot/shared";
import { moveInTransaction, type CreditMetrics } from "../credits/service.ts";
import { portalUrlOf, type Env } from "../env.ts";
import type { DB, PaymentKind } from "../db/schema.ts";
import { paymentFailedEmail, purchaseEmail, tellOwners } from "./emails.ts";
import { findTenantByCustomer, insertPayment, lockAccount, lockPaymentByIntent, recordEvent, tenantExists, updateAccount } from "./repository.ts";
import { audit, idOf, type Moved, system } from "./effects.ts";
import { stripeFailure, type StripeClient } from "./stripe.ts";
import { closeDispute, takeBackDispute, takeBackRefund } from "./takebacks.ts";

export interface BillingEventDeps {
  db: Kysely<DB>;
  stripe: StripeClient;
  log: Logger;
  metrics: { credits: CreditMetrics };
  env: Pick<Env, "PORTAL_URL" | "PUBLIC_URL">;
}

/**
 * What became of an event: applied (it changed something, or was recorded as seen), a duplicate of one already
 * applied, or deferred: it concerns a payment not recorded yet (a refund delivered before its purchase, or while
 * the purchase's own event is still being applied), so it is left unrecorded, for Stripe's retry (the webhook
 * answers 503) or a reconcile to apply once the purchase is in.
 */
export type EventOutcome = "applied" | "duplicate" | "deferred";

/** The events that change something; `bizbot stripe reconcile` reads only these. Any other is acknowledged. */
export const HANDLED_EVENTS = [
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "invoice.paid",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "charge.refunded",
  "charge.dispute.created",
  "charge.dispute.closed",
  "payment_intent.succeeded",
] as const;

class Deferred extends Error {}

const PLAN_INVOICES = new Set(["subscription_create", "subscription_cycle"]);
const PAYMENTS = new Set(["checkout.session.completed", "checkout.session.async_payment_succeeded", "invoice.paid"]);

/**
 * Applies one Stripe event, from the webhook or a reconcile, exactly once. The event is recorded first with a
 * conflict clause, in the transaction of its effect: a concurrent delivery of the same event waits on that row and
 * then finds it. The effect is keyed by its business object too (a checkout session, an invoice, a payment intent),
 * so the same payment brought by another event id, or by a reconcile, adds nothing. Whatever Stripe must be asked
 * (a subscription's current state, an invoice's payment) is asked before the transaction opens.
 */
export async function applyEvent(deps: BillingEventDeps, event: Stripe.Event, source: "webhook" | "reconcile"): Promise<EventOutcome> {
  const context = await prefetch(deps, event);
  const moved: Moved = { granted: 0, clawedBack: 0 };
  try {
    const { outcome, tenantId } = await deps.db.transaction().execute(async (trx) => {
      const tenantId = await tenantOf(trx, event, context);
      if (!(await recordEvent(trx, event, tenantId, source))) return { outcome: "duplicate" as const, tenantId };
      if (tenantId) await effect(trx, deps, event, tenantId, context, moved);
      return { outcome: "applied" as const, tenantId };
    });
    // Money for no workspace we know (deleted, or another system's on the same Stripe account): someone should look.
    if (outcome === "applied" && !tenantId && PAYMENTS.has(event.type))
      deps.log.warn({ event: event.id, type: event.type }, "stripe payment for no known tenant");
    if (moved.granted) deps.metrics.credits.granted.inc({ kind: "purchase" }, moved.granted);
    if (moved.clawedBack) deps.metrics.credits.spent.inc({ kind: "clawback" }, moved.clawedBack);
    deps.log.info({ event: event.id, type: event.type, source, outcome }, "stripe event");
    return outcome;
  } catch (error) {
    if (!(error instanceof Deferred)) throw error;
    deps.log.info({ event: event.id, type: event.type, source, reason: error.message }, "stripe event deferred");
    return "deferred";
  }
}

interface Context {
  /** customer.subscription.*: the subscription as Stripe has it now, so that events arriving out of order agree. */
  subscription?: Stripe.Subscription;
  /** When that state was read: two events applied at once write the newer read, whichever commits last. */
  readAt?: Date;
  /** invoice.paid: the payment intent that paid it, so that a refund of it finds the credits. */
  paymentIntent?: string | null;
  /** invoice.paid: the plan its price sells. */
  plan?: BillingProduct | null;
  /** A package paid through Checkout: the card Stripe kept (setup_future_usage), for auto top-up. */
  paymentMethod?: string | null;
}

/**
 * Stripe gives up on a webhook that has not answered within its deadline, so the calls made while it waits are short,
 * with one retry; a slow Stripe makes the delivery fail, and Stripe delivers it again.
 */
const WEBHOOK_CALL = { timeout: 5_000, maxNetworkRetries: 1 };

/** An object Stripe no longer has (deleted, or never existed in this account): null, so the event applies without it. */
async function unlessMissing<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing") return null;
    throw stripeFailure(error);
  }
}

async function prefetch(deps: BillingEventDeps, event: Stripe.Event): Promise<Context> {
  const api = deps.stripe.api;
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const intent = idOf(event.data.object.payment_intent);
      if (event.data.object.mode !== "payment" || event.data.object.payment_status !== "paid" || !intent) return {};
      const paid = await unlessMissing(() => api.paymentIntents.retrieve(intent, { expand: ["payment_method"] }, WEBHOOK_CALL));
      const method = paid?.payment_method;
      // Auto top-up charges cards only: a bank debit takes days to settle, and a day later it would be bought again.
      return { paymentMethod: typeof method === "object" && method?.type === "card" ? method.id : null };
    }
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted": {
      const readAt = new Date();
      const current =
        event.type === "customer.subscription.deleted" ? null : await unlessMissing(() => api.subscriptions.retrieve(event.data.object.id, {}, WEBHOOK_CALL));
      return { subscription: current ?? event.data.object, readAt };
    }
    case "invoice.paid": {
      const invoice = event.data.object;
      if (!invoice.parent?.subscription_details || !invoice.id) return {};
      const payments = await unlessMissing(() => api.invoicePayments.list({ invoice: invoice.id!, limit: 10 }, WEBHOOK_CALL));
      const paid = payments?.data.find((p) => p.payment.type === "payment_intent" && p.payment.payment_intent);
      // The plan is the price of the period paid for, not of a proration line ("unused time on" the old plan).
      const line = invoice.lines?.data.find((l) => !l.parent?.subscription_item_details?.proration && !l.parent?.invoice_item_details?.proration);
      const price = idOf(line?.pricing?.price_details?.price);
      return { paymentIntent: idOf(paid?.payment.payment_intent), plan: price ? await deps.stripe.productOfPrice(price) : null };
    }
    default:
      return {};
  }
}

/** The tenant an event concerns, when it is one of ours and the tenant still exists; null otherwise. */
async function tenantOf(trx: Transaction<DB>, event: Stripe.Event, context: Context): Promise<string | null> {
  let claimed: string | null = null;
  let customer: string | null = null;
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
    case "checkout.session.async_payment_failed":
      claimed = event.data.object.metadata?.tenant_id ?? event.data.object.client_reference_id;
      customer = idOf(event.data.object.customer);
      break;
    case "invoice.paid":
      claimed = event.data.object.parent?.subscription_details?.metadata?.tenant_id ?? null;
      customer = idOf(event.data.object.customer);
      break;
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      claimed = context.subscription?.metadata?.tenant_id ?? null;
      customer = idOf(context.subscription?.customer);
      break;
    case "payment_intent.succeeded":
      claimed = event.data.object.metadata?.kind === "auto_top_up" ? (event.data.object.metadata.tenant_id ?? null) : null;
      break;
    case "charge.refunded":
    case "charge.dispute.created":
    case "charge.dispute.closed": {
      const intent = idOf(event.data.object.payment_intent);
      if (!intent) return null;
      const payment = await lockPaymentByIntent(trx, intent);
      if (!payment) throw new Deferred(`no payment recorded for ${intent}`);
      return payment.tenant_id;
    }
    default:
      return null;
  }
  const tenantId = claimed ?? (customer ? await findTenantByCustomer(trx, customer) : null);
  return tenantId && (await tenantExists(trx, tenantId)) ? tenantId : null;
}

async function effect(trx: Transaction<DB>, deps: BillingEventDeps, event: Stripe.Event, tenantId: string, context: Context, moved: Moved): Promise<void> {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const session = event.data.object;
      const customer = idOf(session.customer);
      if (customer) await rememberCustomer(trx, tenantId, customer);
      const product = billingProduct(session.metadata?.product ?? "");
      // A plan's credits come with each paid invoice; a delayed method (a bank debit) pays later, in its own event.
      if (session.mode !== "payment" || session.payment_status !== "paid" || product?.kind !== "package") {
        if (session.payment_status === "unpaid") await audit(trx, tenantId, "billing.payment_pending", session.id, {});
        return;
      }
      if (context.paymentMethod) await updateAccount(trx, tenantId, { payment_method_id: context.paymentMethod });
      const paid = { amount: session.amount_total ?? product.usd * 100, currency: session.currency ?? "usd" };
      await creditPayment(trx, deps, tenantId, moved, {
        key: `checkout:${session.id}`,
        kind: "package",
        product,
        ...paid,
        intent: idOf(session.payment_intent),
        reference: session.id,
      });
      return;
    }
    case "checkout.session.async_payment_failed": {
      const session = event.data.object;
      await audit(trx, tenantId, "billing.payment_failed", session.id, {});
      await tellOwners(trx, tenantId, paymentFailedEmail({ reason: "your bank declined the delayed payment.", portalUrl: portalUrlOf(deps.env) }));
      return;
    }
    case "invoice.paid": {
      const invoice = event.data.object;
      const product = context.plan ?? billingProduct(invoice.parent?.subscription_details?.metadata?.product ?? "");
      // A month's credits come with the first invoice and each renewal. A plan change's proration invoice buys none
      // (its next renewal is of the new plan), and nothing paid (a trial, a full discount) buys nothing.
      if (!PLAN_INVOICES.has(invoice.billing_reason ?? "")) return;
      if (product?.kind !== "plan" || !invoice.id || invoice.amount_paid <= 0) return;
      await creditPayment(trx, deps, tenantId, moved, {
        key: `invoice:${invoice.id}`,
        kind: "plan",
        product,
        amount: invoice.amount_paid,
        currency: invoice.currency,
        intent: context.paymentIntent ?? null,
        reference: invoice.id,
      });
      return;
    }
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return applySubscription(trx, tenantId, context.subscription!, context.readAt!, event.type === "customer.subscription.deleted");
    case "payment_intent.succeeded":
      return creditTopUp(trx, deps, tenantId, event.data.object, moved);
    case "charge.refunded":
      return takeBackRefund(trx, tenantId, event.data.object, moved);
    case "charge.dispute.created":
      return takeBackDispute(trx, deps, tenantId, event.data.object, moved);
    case "charge.dispute.closed":
      return closeDispute(trx, deps, tenantId, event.data.object, moved);
    default:
      return;
  }
}

/** An auto top-up's payment, from its webhook or straight from the charge (billing/top-up.ts), whichever comes first. */
async function creditTopUp(trx: Transaction<DB>, deps: BillingEventDeps, tenantId: string, intent: Stripe.PaymentIntent, moved: Moved): Promise<void> {
  const product = billingProduct(intent.metadata?.product ?? "");
  if (product?.kind !== "package") return;
  const amount = intent.amount_received || intent.amount;
  await creditPayment(trx, deps, tenantId, moved, {
    key: `top-up:${intent.id}`,
    kind: "auto_top_up",
    product,
    amount,
    currency: intent.currency,
    intent: intent.id,
    reference: intent.id,
  });
  // It went through: a failure shown from an earlier attempt is over.
  await updateAccount(trx, tenantId, { auto_top_up_error: null, auto_top_up_failed_at: null });
}

/** Adds a top-up's credits as soon as its charge succeeds, without waiting for the webhook. */
export async function applyTopUp(deps: BillingEventDeps, tenantId: string, intent: Stripe.PaymentIntent): Promise<void> {
  const moved: Moved = { granted: 0, clawedBack: 0 };
  await deps.db.transaction().execute((trx) => creditTopUp(trx, deps, tenantId, intent, moved));
  if (moved.granted) deps.metrics.credits.granted.inc({ kind: "purchase" }, moved.granted);
}

async function rememberCustomer(trx: Transaction<DB>, tenantId: string, customer: string): Promise<void> {
  const known = await trx.selectFrom("billing_accounts").select("customer_id").where("tenant_id", "=", tenantId).executeTakeFirst();
  if (!known?.customer_id) await updateAccount(trx, tenantId, { customer_id: customer });
}

interface Payment {
  key: string;
  kind: PaymentKind;
  product: BillingProduct;
  amount: number;
  currency: string;
  intent: string | null;
  reference: string;
}

/** Records a payment under its business key and adds its credits, unless another event already did. */
async function creditPayment(trx: Transaction<DB>, deps: BillingEventDeps, tenantId: string, moved: Moved, p: Payment): Promise<void> {
  const fresh = await insertPayment(trx, {
    key: p.key,
    tenant_id: tenantId,
    kind: p.kind,
    product: p.product.id,
    credits: p.product.credits,
    amount: p.amount,
    currency: p.currency,
    payment_intent: p.intent,
    reference: p.reference,
  });
  if (!fresh) return;
  const movement = await moveInTransaction(trx, { tenantId, idempotencyKey: `stripe:${p.key}`, actor: system }, "purchase", p.product.credits, p.reference);
  moved.granted += p.product.credits;
  await audit(trx, tenantId, "billing.purchase", p.reference, { product: p.product.id, credits: p.product.credits, amount: p.amount, currency: p.currency });
  await tellOwners(
    trx,
    tenantId,
    purchaseEmail({
      name: p.product.name,
      credits: p.product.credits,
      amount: p.amount,
      currency: p.currency,
      reference: p.reference,
      balance: movement.balance,
      portalUrl: portalUrlOf(deps.env),
    }),
  );
}

/** Ended subscriptions leave no plan; a live one sets the plan its price names. */
const ENDED = new Set(["canceled", "incomplete_expired"]);

async function applySubscription(trx: Transaction<DB>, tenantId: string, subscription: Stripe.Subscription, readAt: Date, deleted: boolean): Promise<void> {
  const account = await lockAccount(trx, tenantId);
  if (account.plan_read_at && account.plan_read_at > readAt) return;
  const item = subscription.items?.data[0];
  const lookupKey = item?.price?.lookup_key ?? null;
  const product = billingProducts.find((p) => p.lookupKey === lookupKey) ?? billingProduct(subscription.metadata?.product ?? "");
  const ended = deleted || ENDED.has(subscription.status);
  if (ended) {
    // An old subscription ending says nothing about the current one.
    if (account.subscription_id && account.subscription_id !== subscription.id) return;
    await updateAccount(trx, tenantId, {
      plan_read_at: readAt,
      subscription_id: null,
      plan: null,
      plan_status: subscription.status,
      plan_period_end: null,
      plan_cancel_at_period_end: false,
    });
  } else {
    const customer = idOf(subscription.customer);
    await updateAccount(trx, tenantId, {
      ...(customer ? { customer_id: customer } : {}),
      plan_read_at: readAt,
      subscription_id: subscription.id,
      plan: product?.kind === "plan" ? product.id : null,
      plan_status: subscription.status,
      plan_period_end: item?.current_period_end ? new Date(item.current_period_end * 1000) : null,
      plan_cancel_at_period_end: subscription.cancel_at_period_end,
    });
  }
  await audit(trx, tenantId, "billing.plan_changed", subscription.id, { plan: ended ? null : (product?.id ?? null), status: subscription.status });
}
