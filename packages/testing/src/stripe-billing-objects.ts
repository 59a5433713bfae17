import type Stripe from "stripe";
import { list, now, stripeId } from "./stripe-objects.ts";

/** Builders of Checkout Sessions, Subscriptions and Invoices; see stripe-objects.ts for what the casts mean. */

export const formatAmount = (amount: number, currency: string) => new Intl.NumberFormat("en-US", { style: "currency", currency }).format(amount / 100);

/** A line of a Checkout Session, as `expand[]=line_items` and `listLineItems` show it. */
export function lineItem(price: Stripe.Price, productName: string, quantity: number) {
  const amount = (price.unit_amount ?? 0) * quantity;
  return {
    id: stripeId("li"),
    object: "item",
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description: productName,
    metadata: {},
    price,
    quantity,
  } as Stripe.LineItem;
}

export function checkoutSession(
  fields: Pick<
    Stripe.Checkout.Session,
    "mode" | "currency" | "customer" | "customer_email" | "customer_creation" | "client_reference_id" | "metadata" | "success_url" | "cancel_url"
  > & { amount: number; invoiceCreation: boolean | null; expiresAt: number; baseUrl: string },
) {
  const { amount, invoiceCreation, expiresAt, baseUrl, ...rest } = fields;
  const id = stripeId("cs");
  return {
    id,
    object: "checkout.session",
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: amount,
    amount_total: amount,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now(),
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer_account: null,
    customer_details: rest.customer_email
      ? { email: rest.customer_email, address: null, business_name: null, individual_name: null, name: null, phone: null, tax_exempt: "none", tax_ids: null }
      : null,
    discounts: [],
    expires_at: expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation:
      invoiceCreation === null
        ? null
        : {
            enabled: invoiceCreation,
            invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: {}, rendering_options: null },
          },
    livemode: false,
    locale: null,
    managed_payments: null,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: "always",
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ["card"],
    payment_status: "unpaid",
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: null,
    subscription: null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted",
    url: `${baseUrl}/checkout/${id}`,
    wallet_options: null,
    ...rest,
  } as Stripe.Checkout.Session;
}

export function plan(price: Stripe.Price) {
  return {
    id: price.id,
    object: "plan",
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: "per_unit",
    created: price.created,
    currency: price.currency,
    interval: price.recurring!.interval,
    interval_count: price.recurring!.interval_count,
    livemode: false,
    metadata: price.metadata,
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: "licensed",
  } as Stripe.Plan;
}

export function subscriptionItem(subscriptionId: string, price: Stripe.Price, quantity: number, start: number, end: number) {
  return {
    id: stripeId("si"),
    object: "subscription_item",
    billing_thresholds: null,
    created: now(),
    current_period_end: end,
    current_period_start: start,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: plan(price),
    price,
    quantity,
    subscription: subscriptionId,
    tax_rates: [],
  } as Stripe.SubscriptionItem;
}

/** A subscription paid by `paymentMethod`, its items' periods already set by the caller. */
export function subscription(
  id: string,
  fields: Pick<Stripe.Subscription, "customer" | "currency" | "metadata" | "default_payment_method" | "description" | "start_date">,
  items: Stripe.SubscriptionItem[],
) {
  return {
    id,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: fields.start_date,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: { proration_discounts: "included" }, type: "flexible", updated_at: fields.start_date },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: "charge_automatically",
    created: fields.start_date,
    customer_account: null,
    days_until_due: null,
    default_source: null,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: "self" } },
    items: list(items, `/v1/subscription_items?subscription=${id}`),
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: "off" },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    status: "active",
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { billing_cycle_anchor: "trial_end", missing_payment_method: "create_invoice" } },
    trial_start: null,
    ...fields,
  } as Stripe.Subscription;
}

/** What an invoice line bills: a price for a period, from a subscription item or from a one-time purchase. */
export interface Billed {
  price: Stripe.Price;
  productName: string;
  quantity: number;
  period: { start: number; end: number };
  item: Stripe.SubscriptionItem | null;
}

function invoiceLine(invoiceId: string, billed: Billed) {
  const { price, quantity, item } = billed;
  const amount = (price.unit_amount ?? 0) * quantity;
  const at = price.recurring ? ` (at ${formatAmount(price.unit_amount ?? 0, price.currency)} / ${price.recurring.interval})` : "";
  const proration = { proration: false, proration_details: { credited_items: null } };
  return {
    id: stripeId("il"),
    object: "line_item",
    amount,
    currency: price.currency,
    description: `${quantity} × ${billed.productName}${at}`,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent: item
      ? {
          type: "subscription_item_details",
          subscription_item_details: { invoice_item: null, subscription: item.subscription, subscription_item: item.id, ...proration },
          invoice_item_details: null,
        }
      : {
          type: "invoice_item_details",
          invoice_item_details: { invoice_item: stripeId("ii"), subscription: null, ...proration },
          subscription_item_details: null,
        },
    period: billed.period,
    pretax_credit_amounts: [],
    // The price is an id here, in webhooks as in responses, unless a request expands it.
    pricing: { type: "price_details", price_details: { price: price.id, product: price.product as string }, unit_amount_decimal: price.unit_amount_decimal },
    quantity,
    quantity_decimal: String(quantity),
    subscription: item?.subscription ?? null,
    subtotal: amount,
    taxes: [],
  } as unknown as Stripe.InvoiceLineItem;
}

/**
 * A finalized invoice, still open: `paid` settles it. For a subscription its parent snapshots the subscription's
 * metadata, and its own period looks one period back, as Stripe's does (the lines carry the period billed).
 */
export function invoice(
  customer: Stripe.Customer,
  fields: Pick<Stripe.Invoice, "billing_reason" | "currency" | "period_start" | "period_end" | "metadata">,
  billed: Billed[],
  subscription: Stripe.Subscription | null,
  baseUrl: string,
) {
  const id = stripeId("in");
  const lines = billed.map((b) => invoiceLine(id, b));
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  const created = now();
  const number = `${customer.invoice_prefix}-${String(customer.next_invoice_sequence ?? 1).padStart(4, "0")}`;
  customer.next_invoice_sequence = (customer.next_invoice_sequence ?? 1) + 1;
  return {
    id,
    object: "invoice",
    account_country: "US",
    account_name: "BizBot",
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: total,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    collection_method: "charge_automatically",
    created,
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: null,
    customer_email: customer.email,
    customer_name: customer.name,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: "none",
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: created,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: `${baseUrl}/invoices/${id}`,
    invoice_pdf: `${baseUrl}/invoices/${id}/pdf`,
    issuer: { type: "self" },
    last_finalization_error: null,
    latest_revision: null,
    lines: list(lines, `/v1/invoices/${id}/lines`),
    livemode: false,
    next_payment_attempt: null,
    number,
    on_behalf_of: null,
    parent: subscription
      ? { type: "subscription_details", quote_details: null, subscription_details: { subscription: subscription.id, metadata: { ...subscription.metadata } } }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: "open",
    status_transitions: { finalized_at: created, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: created,
    ...fields,
  } as Stripe.Invoice;
}

export function invoicePayment(paid: Stripe.Invoice, intent: Stripe.PaymentIntent) {
  const succeeded = intent.status === "succeeded";
  return {
    id: stripeId("inpay"),
    object: "invoice_payment",
    amount_paid: succeeded ? intent.amount : null,
    amount_requested: intent.amount,
    created: now(),
    currency: intent.currency,
    invoice: paid.id,
    is_default: true,
    livemode: false,
    payment: { type: "payment_intent", payment_intent: intent.id },
    status: succeeded ? "paid" : "open",
    status_transitions: { canceled_at: null, paid_at: succeeded ? now() : null },
  } as Stripe.InvoicePayment;
}
