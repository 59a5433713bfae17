import type Stripe from "stripe";
import { formatAmount } from "./stripe-billing-objects.ts";
import { invalidRequest, noSuch, type Params, StripeError } from "./stripe-form.ts";
import * as build from "./stripe-objects.ts";

export type CardBehaviour = "succeed" | "card_declined" | "authentication_required";

const DECLINES: Record<Exclude<CardBehaviour, "succeed">, build.Decline> = {
  card_declined: { code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." },
  authentication_required: {
    code: "authentication_required",
    decline_code: "authentication_required",
    message: "Your card was declined. This transaction requires authentication.",
  },
};

/**
 * The account's objects and what happens to them: the catalogue, customers and their saved methods, payments,
 * refunds and disputes; checkouts and subscriptions are in stripe-billing.ts. Every change Stripe announces becomes
 * an event, handed to `onEvent` as it is made.
 */
export class StripeLedger {
  readonly customers = new Map<string, Stripe.Customer>();
  readonly products = new Map<string, Stripe.Product>();
  readonly prices = new Map<string, Stripe.Price>();
  readonly checkoutSessions = new Map<string, Stripe.Checkout.Session>();
  readonly paymentMethods = new Map<string, Stripe.PaymentMethod>();
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly charges = new Map<string, Stripe.Charge>();
  readonly refunds = new Map<string, Stripe.Refund>();
  readonly disputes = new Map<string, Stripe.Dispute>();
  readonly subscriptions = new Map<string, Stripe.Subscription>();
  readonly invoices = new Map<string, Stripe.Invoice>();
  readonly invoicePayments = new Map<string, Stripe.InvoicePayment>();
  readonly portalSessions = new Map<string, Stripe.BillingPortal.Session>();
  readonly events: Stripe.Event[] = [];
  /** The API request being answered, which its events name as their cause; null while a test control acts. */
  request: Stripe.Event.Request | null = null;
  private readonly cardBehaviour = new Map<string, CardBehaviour>();
  private readonly byPrefix: Record<string, Map<string, object>> = {
    cus: this.customers,
    prod: this.products,
    price: this.prices,
    cs: this.checkoutSessions,
    pm: this.paymentMethods,
    pi: this.paymentIntents,
    ch: this.charges,
    re: this.refunds,
    dp: this.disputes,
    sub: this.subscriptions,
    in: this.invoices,
    inpay: this.invoicePayments,
  };

  constructor(
    readonly baseUrl: string,
    private readonly onEvent: (event: Stripe.Event) => void,
  ) {}

  /** Any object by its id, for `expand[]`. */
  find(id: string): object | undefined {
    return this.byPrefix[id.slice(0, id.indexOf("_"))]?.get(id);
  }

  /** The object or Stripe's resource_missing error: a 404 for the URL's id, a 400 naming `param` for a parameter's. */
  get<T>(map: Map<string, T>, object: string, id: string, param = "id"): T {
    const found = map.get(id);
    if (!found) throw noSuch(object, id, param);
    return found;
  }

  emit(type: Stripe.Event.Type, object: object, previous?: object): Stripe.Event {
    const made = build.event(type, object, this.request, previous);
    this.events.push(made);
    this.onEvent(made);
    return made;
  }

  add<T extends { id: string }>(map: Map<string, T>, object: T): T {
    map.set(object.id, object);
    return object;
  }

  createCustomer(p: Params): Stripe.Customer {
    const fields = { email: p.optional("email"), name: p.optional("name"), description: p.optional("description"), phone: p.optional("phone") };
    return this.add(this.customers, build.customer({ ...fields, metadata: p.metadata() }));
  }

  createProduct(p: Params): Stripe.Product {
    const id = p.optional("id") ?? build.stripeId("prod");
    if (this.products.has(id)) throw invalidRequest(`Product already exists.`, { code: "resource_already_exists", param: "id" });
    const fields = { id, name: p.required("name"), description: p.optional("description"), active: p.boolean("active") ?? true };
    return this.add(this.products, build.product({ ...fields, metadata: p.metadata() }));
  }

  /** A lookup key names one active price: taking it from another needs `transfer_lookup_key`. */
  createPrice(p: Params): Stripe.Price {
    const currency = p.currency();
    const unitAmount = p.integer("unit_amount") ?? Number(p.required("unit_amount"));
    const recurring = p.object("recurring");
    const interval = recurring.oneOf("interval", ["day", "week", "month", "year"] as const);
    if (p.has("recurring") && !interval) recurring.required("interval");
    const lookupKey = p.optional("lookup_key");
    const holder = lookupKey ? [...this.prices.values()].find((other) => other.active && other.lookup_key === lookupKey) : undefined;
    if (holder && !p.boolean("transfer_lookup_key"))
      throw invalidRequest(`A price (\`${holder.id}\`) already uses that lookup key.`, { code: "lookup_key_exists", param: "lookup_key" });
    const productId = p.has("product_data") ? this.createProduct(p.object("product_data")).id : p.required("product");
    this.get(this.products, "product", productId, "product");
    if (holder) holder.lookup_key = null;
    const created = build.price({
      product: productId,
      currency,
      unit_amount: unitAmount,
      lookup_key: lookupKey,
      nickname: p.optional("nickname"),
      active: p.boolean("active") ?? true,
      metadata: p.metadata(),
      recurring: interval ? { interval, interval_count: recurring.integer("interval_count") ?? 1 } : null,
    });
    return this.add(this.prices, created);
  }

  createPortalSession(p: Params): Stripe.BillingPortal.Session {
    const customerId = p.required("customer");
    this.get(this.customers, "customer", customerId, "customer");
    return this.add(this.portalSessions, build.portalSession(customerId, p.optional("return_url"), this.baseUrl));
  }

  /** A card saved to (or, for a guest, only used by) a customer. */
  addPaymentMethod(type: "card" | "us_bank_account", customer: Stripe.Customer | null, attach: boolean): Stripe.PaymentMethod {
    const billing = { email: customer?.email ?? null, name: customer?.name ?? null };
    return this.add(this.paymentMethods, build.paymentMethod(type, attach && customer ? customer.id : null, billing));
  }

  setCardBehaviour(customerId: string, behaviour: CardBehaviour | null): void {
    this.get(this.customers, "customer", customerId);
    this.cardBehaviour.set(customerId, behaviour ?? "succeed");
  }

  /** How the network answers an off-session charge of a customer's saved method. */
  declineFor(method: Stripe.PaymentMethod): build.Decline | null {
    const behaviour = typeof method.customer === "string" ? this.cardBehaviour.get(method.customer) : undefined;
    return behaviour && behaviour !== "succeed" ? DECLINES[behaviour] : null;
  }

  /**
   * Charges a PaymentIntent's amount to `method`. On a decline the intent goes back to `requires_payment_method`,
   * keeping the failed charge and the error, as Stripe's does.
   */
  charge(intent: Stripe.PaymentIntent, method: Stripe.PaymentMethod, decline: build.Decline | null): Stripe.Charge {
    const made = this.add(this.charges, build.charge(intent, method, decline));
    intent.latest_charge = made.id;
    if (decline) {
      const error = { type: "card_error", charge: made.id, ...decline, payment_method: structuredClone(method), doc_url: docUrl(decline.code) };
      Object.assign(intent, { status: "requires_payment_method", payment_method: null, last_payment_error: error });
      this.emit("payment_intent.payment_failed", intent);
      this.emit("charge.failed", made);
    } else {
      Object.assign(intent, { status: "succeeded", amount_received: intent.amount, payment_method: method.id, last_payment_error: null });
      this.emit("payment_intent.succeeded", intent);
      this.emit("charge.succeeded", made);
    }
    return made;
  }

  /** POST /v1/payment_intents: confirmed off-session, it charges the saved method at once; a decline is a 402. */
  createPaymentIntent(p: Params): Stripe.PaymentIntent {
    const amount = p.integer("amount") ?? Number(p.required("amount"));
    const currency = p.currency();
    if (amount < 50) throw invalidRequest(`Amount must be at least ${formatAmount(50, currency)} ${currency}`, { code: "amount_too_small", param: "amount" });
    const customerId = p.optional("customer");
    if (customerId) this.get(this.customers, "customer", customerId, "customer");
    const methodId = p.optional("payment_method");
    const method = methodId ? this.get(this.paymentMethods, "PaymentMethod", methodId, "payment_method") : null;
    if (method?.customer && method.customer !== customerId)
      throw invalidRequest(`The provided PaymentMethod ${method.id} belongs to another Customer; pass its customer.`, { param: "payment_method" });
    const confirm = p.boolean("confirm") ?? false;
    const offSession = p.boolean("off_session");
    if (offSession !== undefined && !confirm) throw invalidRequest("`off_session` may only be used when `confirm` is true.", { param: "off_session" });
    if (confirm && !method)
      throw invalidRequest("You cannot confirm this PaymentIntent because it's missing a payment method.", {
        code: "payment_intent_unexpected_state",
        param: "payment_method",
      });
    const intent = this.add(
      this.paymentIntents,
      build.paymentIntent({
        amount,
        currency,
        customer: customerId,
        description: p.optional("description"),
        metadata: p.metadata(),
        payment_method: method?.id ?? null,
        payment_method_types: p.strings("payment_method_types") ?? ["card"],
        setup_future_usage: p.oneOf("setup_future_usage", ["on_session", "off_session"]) ?? null,
        status: method ? "requires_confirmation" : "requires_payment_method",
      }),
    );
    if (!confirm || !method) return intent;
    const decline = this.declineFor(method);
    const made = this.charge(intent, method, decline);
    if (decline)
      throw new StripeError(402, {
        type: "card_error",
        ...decline,
        charge: made.id,
        payment_intent: structuredClone(intent),
        payment_method: structuredClone(method),
        doc_url: docUrl(decline.code),
      });
    return intent;
  }

  /** POST /v1/refunds: of a payment intent's charge or of a charge, by default all that is left of it. */
  createRefund(p: Params): Stripe.Refund {
    const chargeId = p.optional("charge");
    const intentId = p.optional("payment_intent");
    if (!chargeId && !intentId) throw invalidRequest("One of the following params should be provided for this request: payment_intent or charge.");
    const paid = chargeId ? this.get(this.charges, "charge", chargeId, "charge") : this.paidCharge(intentId!, "payment_intent");
    const reason = p.oneOf("reason", ["duplicate", "fraudulent", "requested_by_customer"]) ?? null;
    return this.refund(paid, p.integer("amount"), reason, p.metadata());
  }

  /** The succeeded charge of a payment intent, which refunds and disputes concern. */
  paidCharge(intentId: string, param = "id"): Stripe.Charge {
    const intent = this.get(this.paymentIntents, "payment_intent", intentId, param);
    const paid = typeof intent.latest_charge === "string" ? this.charges.get(intent.latest_charge) : undefined;
    if (intent.status !== "succeeded" || !paid)
      throw invalidRequest(`This PaymentIntent (${intentId}) does not have a successful charge to refund.`, { param });
    return paid;
  }

  /** Refunds part or the rest of a charge. charge.refunded carries the charge without its refunds, as Stripe's has since 2022. */
  refund(paid: Stripe.Charge, amount: number | undefined, reason: Stripe.Refund.Reason | null, metadata: Stripe.Metadata = {}): Stripe.Refund {
    const left = paid.amount - paid.amount_refunded;
    if (paid.disputed) throw invalidRequest(`Charge ${paid.id} has been charged back; cannot issue a refund.`, { code: "charge_disputed" });
    if (left === 0) throw invalidRequest(`Charge ${paid.id} has already been refunded.`, { code: "charge_already_refunded" });
    const value = amount ?? left;
    if (value <= 0) throw invalidRequest(`Invalid positive integer: ${value}`, { param: "amount" });
    if (value > left)
      throw invalidRequest(
        `Refund amount (${formatAmount(value, paid.currency)}) is greater than unrefunded amount on charge (${formatAmount(left, paid.currency)})`,
        {
          param: "amount",
        },
      );
    const made = this.add(this.refunds, build.refund(paid, value, reason, metadata));
    paid.amount_refunded += value;
    paid.refunded = paid.amount_refunded === paid.amount;
    this.emit("charge.refunded", paid);
    this.emit("refund.created", made);
    return made;
  }

  /** The cardholder disputes the whole payment with their bank. */
  dispute(intentId: string): Stripe.Dispute {
    const disputed = this.paidCharge(intentId);
    if (disputed.disputed) throw new Error(`Charge ${disputed.id} is already disputed`);
    disputed.disputed = true;
    const made = this.add(this.disputes, build.dispute(disputed));
    this.emit("charge.dispute.created", made);
    return made;
  }

  closeDispute(disputeId: string, outcome: "won" | "lost"): Stripe.Dispute {
    const closed = this.get(this.disputes, "dispute", disputeId);
    if (closed.status === "won" || closed.status === "lost") throw new Error(`Dispute ${disputeId} is already closed (${closed.status})`);
    closed.status = outcome;
    this.emit("charge.dispute.closed", closed);
    return closed;
  }
}

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replaceAll("_", "-")}`;
