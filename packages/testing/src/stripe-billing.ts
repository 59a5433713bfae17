import type Stripe from "stripe";
import * as build from "./stripe-billing-objects.ts";
import { invalidRequest, type Params } from "./stripe-form.ts";
import type { StripeLedger } from "./stripe-ledger.ts";
import { customer, now, paymentIntent } from "./stripe-objects.ts";
import { payInvoice, startSubscription } from "./stripe-subscriptions.ts";

/** What a Checkout Session was asked to make once paid, which the session object itself does not show. */
interface Terms {
  lineItems: Stripe.LineItem[];
  intent: { metadata: Stripe.Metadata; description: string | null; setupFutureUsage: Stripe.PaymentIntent.SetupFutureUsage | null };
  subscription: { metadata: Stripe.Metadata; description: string | null };
  invoiceMetadata: Stripe.Metadata;
}

const terms = new WeakMap<Stripe.Checkout.Session, Terms>();

export const checkoutLineItems = (session: Stripe.Checkout.Session): Stripe.LineItem[] => terms.get(session)?.lineItems ?? [];

/** POST /v1/checkout/sessions, refusing the combinations of mode and prices Stripe refuses. */
export function createCheckoutSession(ledger: StripeLedger, p: Params): Stripe.Checkout.Session {
  const mode = p.oneOf("mode", ["payment", "setup", "subscription"] as const) ?? "payment";
  if (mode === "setup") throw invalidRequest("The Stripe stand-in supports `payment` and `subscription` modes only.", { param: "mode" });
  const lines = p.list("line_items");
  if (lines.length === 0) p.required("line_items");
  const lineItems = lines.map((line) => {
    if (line.has("price_data"))
      throw invalidRequest("The Stripe stand-in supports line items of a `price` only, not `price_data`.", { param: line.name("price_data") });
    const price = ledger.get(ledger.prices, "price", line.required("price"), line.name("price"));
    if (!price.active) throw invalidRequest("The price specified is inactive. This field only accepts active prices.", { param: line.name("price") });
    const quantity = line.integer("quantity") ?? Number(line.required("quantity"));
    if (quantity < 1) throw invalidRequest(`Invalid positive integer: ${quantity}`, { param: line.name("quantity") });
    return build.lineItem(price, ledger.products.get(price.product as string)?.name ?? "", quantity);
  });
  const recurring = lineItems.some((item) => item.price?.recurring);
  if (mode === "payment" && recurring)
    throw invalidRequest("You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.", {
      param: "line_items",
    });
  if (mode === "subscription" && !recurring)
    throw invalidRequest("You must provide at least one recurring price in `subscription` mode when using prices.", { param: "line_items" });
  for (const [param, allowed] of [
    ["payment_intent_data", "payment"],
    ["invoice_creation", "payment"],
    ["subscription_data", "subscription"],
  ] as const) {
    if (p.has(param) && mode !== allowed) throw invalidRequest(`You can only pass \`${param}\` in \`${allowed}\` mode.`, { param });
  }
  const customerId = p.optional("customer");
  if (customerId) ledger.get(ledger.customers, "customer", customerId, "customer");
  if (customerId && p.has("customer_email"))
    throw invalidRequest("You may only specify one of these parameters: customer, customer_email.", { param: "customer_email" });
  const intentData = p.object("payment_intent_data");
  const subscriptionData = p.object("subscription_data");
  const invoiceCreation = p.object("invoice_creation");
  if (p.has("invoice_creation")) invoiceCreation.required("enabled");
  const session = build.checkoutSession({
    mode,
    amount: lineItems.reduce((sum, item) => sum + item.amount_total, 0),
    currency: lineItems[0]!.currency,
    customer: customerId,
    customer_email: p.optional("customer_email"),
    customer_creation: p.oneOf("customer_creation", ["always", "if_required"] as const) ?? (customerId || mode === "subscription" ? null : "if_required"),
    client_reference_id: p.optional("client_reference_id"),
    metadata: p.metadata(),
    success_url: p.optional("success_url"),
    cancel_url: p.optional("cancel_url"),
    invoiceCreation: mode === "payment" ? invoiceCreation.boolean("enabled") === true : null,
    expiresAt: p.integer("expires_at") ?? now() + 24 * 3600,
    baseUrl: ledger.baseUrl,
  });
  terms.set(session, {
    lineItems,
    intent: {
      metadata: intentData.metadata(),
      description: intentData.optional("description"),
      setupFutureUsage: intentData.oneOf("setup_future_usage", ["on_session", "off_session"] as const) ?? null,
    },
    subscription: { metadata: subscriptionData.metadata(), description: subscriptionData.optional("description") },
    invoiceMetadata: invoiceCreation.object("invoice_data").metadata(),
  });
  return ledger.add(ledger.checkoutSessions, session);
}

/**
 * The customer pays on the hosted page with a fresh card (or, `unpaid`, starts a bank debit that settles later).
 * A customer is made when Stripe would make one: always for a subscription, otherwise when the card is saved for
 * later (`setup_future_usage`), an invoice is asked for, or `customer_creation` is `always`; a guest has none.
 * The method is attached to the customer only when it is saved: in subscription mode, or with `setup_future_usage`.
 */
export function completeCheckout(ledger: StripeLedger, sessionId: string, paymentStatus: "paid" | "unpaid" = "paid"): void {
  const session = ledger.get(ledger.checkoutSessions, "checkout.session", sessionId);
  if (session.status !== "open") throw new Error(`Checkout Session ${sessionId} is ${session.status}, not open`);
  if (paymentStatus === "unpaid" && session.mode !== "payment") throw new Error("The Stripe stand-in delays payments in `payment` mode only");
  const { intent: asked, lineItems, subscription: subscriptionAsked } = terms.get(session)!;
  const saves = session.mode === "subscription" || asked.setupFutureUsage !== null;
  const needsCustomer = saves || session.customer_creation === "always" || session.invoice_creation?.enabled === true;
  const email = session.customer_email ?? "jenny.rosen@example.com";
  const payer =
    typeof session.customer === "string"
      ? ledger.customers.get(session.customer)!
      : needsCustomer
        ? ledger.add(ledger.customers, customer({ email, name: "Jenny Rosen", description: null, phone: null, metadata: {} }))
        : null;
  const method = ledger.addPaymentMethod(paymentStatus === "paid" ? "card" : "us_bank_account", payer, saves);
  Object.assign(session, {
    status: "complete",
    customer: payer?.id ?? null,
    customer_details: {
      address: { city: null, country: "US", line1: null, line2: null, postal_code: "94103", state: null },
      business_name: null,
      email: payer?.email ?? email,
      individual_name: null,
      name: payer?.name ?? "Jenny Rosen",
      phone: null,
      tax_exempt: "none",
      tax_ids: [],
    },
  });
  if (session.mode === "subscription") {
    const started = startSubscription(ledger, payer!, method, lineItems, subscriptionAsked);
    Object.assign(session, { subscription: started.subscription.id, invoice: started.invoice.id, payment_status: "paid" });
  } else {
    const intent = ledger.add(
      ledger.paymentIntents,
      paymentIntent({
        amount: session.amount_total ?? 0,
        currency: session.currency ?? "usd",
        customer: payer?.id ?? null,
        description: asked.description,
        metadata: asked.metadata,
        payment_method: method.id,
        payment_method_types: [method.type],
        setup_future_usage: asked.setupFutureUsage,
        status: "processing",
      }),
    );
    session.payment_intent = intent.id;
    if (paymentStatus === "paid") settle(ledger, session, intent, method);
  }
  ledger.emit("checkout.session.completed", session);
}

/** A delayed payment (a bank debit) of a completed session succeeds or fails. */
export function settleAsyncPayment(ledger: StripeLedger, sessionId: string, succeeded: boolean): void {
  const session = ledger.get(ledger.checkoutSessions, "checkout.session", sessionId);
  const intent = typeof session.payment_intent === "string" ? ledger.paymentIntents.get(session.payment_intent) : undefined;
  if (session.status !== "complete" || session.payment_status !== "unpaid" || intent?.status !== "processing")
    throw new Error(`Checkout Session ${sessionId} has no delayed payment in progress`);
  if (succeeded) {
    settle(ledger, session, intent, ledger.paymentMethods.get(intent.payment_method as string)!);
    ledger.emit("checkout.session.async_payment_succeeded", session);
    return;
  }
  const error = { type: "card_error", code: "payment_method_provider_decline", message: "The customer's bank declined the debit." };
  Object.assign(intent, { status: "requires_payment_method", last_payment_error: error });
  ledger.emit("payment_intent.payment_failed", intent);
  ledger.emit("checkout.session.async_payment_failed", session);
}

/** The payment of a payment-mode session goes through: the charge, then the invoice if one was asked for. */
function settle(ledger: StripeLedger, session: Stripe.Checkout.Session, intent: Stripe.PaymentIntent, method: Stripe.PaymentMethod): void {
  ledger.charge(intent, method, null);
  session.payment_status = "paid";
  if (!session.invoice_creation?.enabled) return;
  const at = now();
  const { lineItems, invoiceMetadata } = terms.get(session)!;
  const billed = lineItems.map((item) => ({
    price: item.price!,
    productName: item.description ?? "",
    quantity: item.quantity ?? 1,
    period: { start: at, end: at },
    item: null,
  }));
  const fields = { billing_reason: "manual" as const, currency: intent.currency, period_start: at, period_end: at, metadata: invoiceMetadata };
  const made = ledger.add(ledger.invoices, build.invoice(ledger.customers.get(intent.customer as string)!, fields, billed, null, ledger.baseUrl));
  session.invoice = made.id;
  payInvoice(ledger, made, intent);
}
