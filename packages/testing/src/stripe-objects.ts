import { randomBytes } from "node:crypto";
import type Stripe from "stripe";

/**
 * Stripe's objects as the API version below renders them, built from what the stand-in knows. Fields nothing here
 * models carry Stripe's values for an account without the feature (null, [], `none`); the casts say that the
 * literals leave out optional fields the SDK's types also declare.
 */
export const API_VERSION = "2026-10-28.endive";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const random = (length: number) => [...randomBytes(length)].map((byte) => ALPHABET[byte % ALPHABET.length]).join("");

/** Ids shaped like Stripe's: short for customers, products, subscription items and requests, long elsewhere. */
export function stripeId(prefix: string): string {
  if (prefix === "cs") return `cs_test_a1${random(56)}`;
  return ["cus", "prod", "si", "bpc", "req"].includes(prefix) ? `${prefix}_${random(14)}` : `${prefix}_1${random(23)}`;
}

export const now = () => Math.floor(Date.now() / 1000);

export const list = <T>(data: T[], url: string): Stripe.ApiList<T> => ({ object: "list", data, has_more: false, url });

/** When a period that starts at `anchor` ends after `count` intervals: a month after Jan 31 is the end of February. */
export function advance(anchor: number, interval: Stripe.Price.Recurring.Interval, count: number): number {
  const date = new Date(anchor * 1000);
  if (interval === "day" || interval === "week") return anchor + count * (interval === "day" ? 86_400 : 604_800);
  const months = date.getUTCMonth() + count * (interval === "year" ? 12 : 1);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), months + 1, 0)).getUTCDate();
  date.setUTCFullYear(date.getUTCFullYear(), months, Math.min(date.getUTCDate(), lastDay));
  return Math.floor(date.getTime() / 1000);
}

export function customer(fields: { email: string | null; name: string | null; description: string | null; phone: string | null; metadata: Stripe.Metadata }) {
  return {
    id: stripeId("cus"),
    object: "customer",
    address: null,
    balance: 0,
    created: now(),
    currency: null,
    default_source: null,
    delinquent: false,
    discount: null,
    invoice_prefix: random(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    next_invoice_sequence: 1,
    preferred_locales: [],
    shipping: null,
    tax_exempt: "none",
    test_clock: null,
    ...fields,
  } as Stripe.Customer;
}

export function product(fields: { id: string; name: string; description: string | null; active: boolean; metadata: Stripe.Metadata }) {
  const created = now();
  return {
    object: "product",
    created,
    updated: created,
    default_price: null,
    images: [],
    livemode: false,
    marketing_features: [],
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: "service",
    unit_label: null,
    url: null,
    ...fields,
  } as Stripe.Product;
}

export function price(fields: {
  product: string;
  currency: string;
  unit_amount: number;
  lookup_key: string | null;
  nickname: string | null;
  active: boolean;
  metadata: Stripe.Metadata;
  recurring: { interval: Stripe.Price.Recurring.Interval; interval_count: number } | null;
}) {
  return {
    id: stripeId("price"),
    object: "price",
    billing_scheme: "per_unit",
    created: now(),
    custom_unit_amount: null,
    livemode: false,
    tax_behavior: "unspecified",
    tiers_mode: null,
    transform_quantity: null,
    type: fields.recurring ? "recurring" : "one_time",
    // A decimal string on the wire; the SDK turns it into a Decimal where a response schema says so.
    unit_amount_decimal: String(fields.unit_amount),
    ...fields,
    recurring: fields.recurring && { ...fields.recurring, meter: null, trial_period_days: null, usage_type: "licensed" },
  } as unknown as Stripe.Price;
}

/** The card the hosted page "enters" (Visa 4242), or the bank account of a delayed payment. */
export function paymentMethod(type: "card" | "us_bank_account", customerId: string | null, billing: { email: string | null; name: string | null }) {
  const details =
    type === "card"
      ? {
          card: {
            brand: "visa",
            checks: { address_line1_check: null, address_postal_code_check: "pass", cvc_check: "pass" },
            country: "US",
            display_brand: "visa",
            exp_month: 12,
            exp_year: new Date().getUTCFullYear() + 3,
            fingerprint: random(16),
            funding: "credit",
            generated_from: null,
            last4: "4242",
            networks: { available: ["visa"], preferred: null },
            regulated_status: "unregulated",
            three_d_secure_usage: { supported: true },
            wallet: null,
          },
        }
      : {
          us_bank_account: {
            account_holder_type: "individual",
            account_type: "checking",
            bank_name: "STRIPE TEST BANK",
            financial_connections_account: null,
            fingerprint: random(16),
            last4: "6789",
            networks: { preferred: "ach", supported: ["ach"] },
            routing_number: "110000000",
            status_details: {},
          },
        };
  return {
    id: stripeId("pm"),
    object: "payment_method",
    allow_redisplay: "always",
    billing_details: {
      address: { city: null, country: "US", line1: null, line2: null, postal_code: "94103", state: null },
      phone: null,
      tax_id: null,
      ...billing,
    },
    created: now(),
    customer: customerId,
    customer_account: null,
    livemode: false,
    metadata: {},
    type,
    ...details,
  } as Stripe.PaymentMethod;
}

export function paymentIntent(fields: {
  amount: number;
  currency: string;
  customer: string | null;
  description: string | null;
  metadata: Stripe.Metadata;
  payment_method: string | null;
  payment_method_types: string[];
  setup_future_usage: Stripe.PaymentIntent.SetupFutureUsage | null;
  status: Stripe.PaymentIntent.Status;
}) {
  const id = stripeId("pi");
  return {
    id,
    object: "payment_intent",
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: "automatic_async",
    client_secret: `${id}_secret_${random(25)}`,
    confirmation_method: "automatic",
    created: now(),
    customer_account: null,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    next_action: null,
    on_behalf_of: null,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    transfer_data: null,
    transfer_group: null,
    ...fields,
  } as Stripe.PaymentIntent;
}

/** The decline a card network answers, as the charge's outcome and the error's fields say it. */
export interface Decline {
  code: "card_declined" | "authentication_required";
  decline_code: string;
  message: string;
}

export function charge(intent: Stripe.PaymentIntent, method: Stripe.PaymentMethod, decline: Decline | null) {
  const details = method.card
    ? { card: { ...method.card, amount_authorized: decline ? null : intent.amount, network: "visa", three_d_secure: null, installments: null, mandate: null } }
    : { us_bank_account: method.us_bank_account };
  return {
    id: stripeId("ch"),
    object: "charge",
    amount: intent.amount,
    amount_captured: decline ? 0 : intent.amount,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: method.billing_details,
    calculated_statement_descriptor: "BIZBOT",
    captured: !decline,
    created: now(),
    currency: intent.currency,
    customer: intent.customer,
    description: intent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    fraud_details: {},
    livemode: false,
    // Stripe copies the PaymentIntent's metadata onto its charges.
    metadata: { ...intent.metadata },
    on_behalf_of: null,
    outcome: decline
      ? {
          type: "issuer_declined",
          network_status: "declined_by_network",
          reason: decline.decline_code,
          risk_level: "normal",
          seller_message: "The bank did not return any further details with this decline.",
        }
      : { type: "authorized", network_status: "approved_by_network", reason: null, risk_level: "normal", seller_message: "Payment complete." },
    paid: !decline,
    payment_intent: intent.id,
    payment_method: method.id,
    payment_method_details: { type: method.type, ...details },
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: decline ? "failed" : "succeeded",
    transfer_data: null,
    transfer_group: null,
  } as Stripe.Charge;
}

export function refund(paid: Stripe.Charge, amount: number, reason: Stripe.Refund.Reason | null, metadata: Stripe.Metadata) {
  return {
    id: stripeId("re"),
    object: "refund",
    amount,
    balance_transaction: null,
    charge: paid.id,
    created: now(),
    currency: paid.currency,
    customer: paid.customer,
    customer_account: null,
    destination_details: { type: "card", card: { reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" } },
    metadata,
    payment_intent: paid.payment_intent,
    payment_method: paid.payment_method,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: "succeeded",
    transfer_reversal: null,
  } as Stripe.Refund;
}

export function dispute(disputed: Stripe.Charge) {
  const created = now();
  return {
    id: stripeId("dp"),
    object: "dispute",
    amount: disputed.amount,
    balance_transactions: [],
    charge: disputed.id,
    created,
    currency: disputed.currency,
    enhanced_eligibility_types: [],
    evidence: {},
    evidence_details: {
      due_by: created + 7 * 86_400,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: null,
    },
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    network_reason_code: "10.4",
    payment_intent: disputed.payment_intent,
    payment_method_details: { type: "card", card: { brand: "visa", case_type: "chargeback", network_reason_code: "10.4" } },
    reason: "fraudulent",
    status: "needs_response",
  } as unknown as Stripe.Dispute;
}

export function portalSession(customerId: string, returnUrl: string | null, baseUrl: string) {
  const id = stripeId("bps");
  return {
    id,
    object: "billing_portal.session",
    configuration: stripeId("bpc"),
    created: now(),
    customer: customerId,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: returnUrl,
    url: `${baseUrl}/billing-portal/${id}`,
  } as Stripe.BillingPortal.Session;
}

export function event(type: Stripe.Event.Type, object: object, request: Stripe.Event.Request | null, previous?: object) {
  // A snapshot: later changes to the object do not reach events already made, as with Stripe.
  const data = { object: structuredClone(object), ...(previous && { previous_attributes: structuredClone(previous) }) };
  return {
    id: stripeId("evt"),
    object: "event",
    api_version: API_VERSION,
    created: now(),
    data,
    livemode: false,
    pending_webhooks: 1,
    request: request ?? { id: null, idempotency_key: null },
    type,
  } as Stripe.Event;
}
