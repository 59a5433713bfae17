import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogue, eventTypes, idLike, objectOf, rejection, stripeClient, subscribe, uniqueKey } from "./stripe-fixtures.ts";
import { advance } from "./stripe-objects.ts";
import { startStripeServer, type StripeStandIn } from "./stripe-server.ts";

describe("Stripe stand-in: Checkout, subscriptions and invoices", () => {
  let standIn: StripeStandIn;
  let stripe: Stripe;

  beforeAll(async () => {
    standIn = await startStripeServer();
    stripe = stripeClient(standIn);
  });
  afterAll(() => standIn.close());

  it("opens a payment-mode Checkout Session and completes it into a paid intent, a charge and a saved card", async () => {
    const { once } = await catalogue(stripe);
    const customer = await stripe.customers.create({ email: "buyer@example.com", name: "Buyer", metadata: { tenant_id: "t1" } });
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      client_reference_id: "t1",
      line_items: [{ price: once.id, quantity: 1 }],
      metadata: { tenant_id: "t1", product: "starter" },
      payment_intent_data: { metadata: { tenant_id: "t1" }, setup_future_usage: "off_session" },
      success_url: "https://app.example/billing?session={CHECKOUT_SESSION_ID}",
      cancel_url: "https://app.example/billing",
    });
    expect(session).toMatchObject({
      id: expect.stringMatching(/^cs_test_a1/),
      object: "checkout.session",
      url: `${standIn.url}/checkout/${session.id}`,
      status: "open",
      payment_status: "unpaid",
      amount_total: 2000,
      currency: "usd",
      payment_intent: null,
      subscription: null,
    });

    const events = await standIn.completeCheckout(session.id);
    expect(eventTypes(events)).toEqual(["payment_intent.succeeded", "charge.succeeded", "checkout.session.completed"]);
    const completed = objectOf<Stripe.Checkout.Session>(events, "checkout.session.completed");
    expect(completed).toMatchObject({
      status: "complete",
      payment_status: "paid",
      customer: customer.id,
      payment_intent: idLike("pi"),
      metadata: { product: "starter" },
    });
    const intent = await stripe.paymentIntents.retrieve(completed.payment_intent as string);
    expect(intent).toMatchObject({ status: "succeeded", amount: 2000, amount_received: 2000, metadata: { tenant_id: "t1" }, latest_charge: idLike("ch") });
    expect(await stripe.charges.retrieve(intent.latest_charge as string)).toMatchObject({
      paid: true,
      amount: 2000,
      payment_intent: intent.id,
      refunded: false,
    });
    expect(events.every((e) => e.api_version === "2026-10-28.endive" && e.request?.id === null && e.livemode === false)).toBe(true);

    const methods = await stripe.customers.listPaymentMethods(customer.id);
    expect(methods.data).toEqual([expect.objectContaining({ id: intent.payment_method, type: "card", card: expect.objectContaining({ last4: "4242" }) })]);
    const expanded = await stripe.checkout.sessions.retrieve(session.id, { expand: ["line_items", "payment_intent.latest_charge"] });
    expect(expanded.line_items?.data[0]?.price?.id).toBe(once.id);
    expect(((expanded.payment_intent as Stripe.PaymentIntent).latest_charge as Stripe.Charge).object).toBe("charge");
    expect((await stripe.checkout.sessions.list({ customer: customer.id })).data.map((s) => s.id)).toEqual([session.id]);
  });

  it("refuses what Stripe refuses when a session is created", async () => {
    const { once, monthly } = await catalogue(stripe);
    const refusals = [
      stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: monthly.id, quantity: 1 }] }),
      stripe.checkout.sessions.create({ mode: "subscription", line_items: [{ price: once.id, quantity: 1 }] }),
      stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: "price_missing", quantity: 1 }] }),
      stripe.checkout.sessions.create({
        mode: "subscription",
        line_items: [{ price: monthly.id, quantity: 1 }],
        payment_intent_data: { metadata: { a: "b" } },
      }),
    ];
    const errors = await Promise.all(refusals.map((r) => rejection(r, Stripe.errors.StripeInvalidRequestError)));
    expect(errors.map((e) => e.param)).toEqual(["line_items", "line_items", "line_items[0][price]", "payment_intent_data"]);
    expect(errors[2]).toMatchObject({ statusCode: 400, code: "resource_missing", message: "No such price: 'price_missing'" });
  });

  it("makes a guest no customer, and bills an invoice with no parent when asked", async () => {
    const { once } = await catalogue(stripe);
    const guest = await stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: once.id, quantity: 1 }] });
    const guestEvents = await standIn.completeCheckout(guest.id);
    expect(objectOf<Stripe.Checkout.Session>(guestEvents, "checkout.session.completed")).toMatchObject({
      customer: null,
      customer_details: { email: expect.any(String) },
    });

    const invoiced = await stripe.checkout.sessions.create({
      mode: "payment",
      customer_email: "invoice@example.com",
      line_items: [{ price: once.id, quantity: 3 }],
      invoice_creation: { enabled: true },
    });
    const events = await standIn.completeCheckout(invoiced.id);
    expect(eventTypes(events)).toEqual(["payment_intent.succeeded", "charge.succeeded", "invoice.paid", "checkout.session.completed"]);
    const invoice = objectOf<Stripe.Invoice>(events, "invoice.paid");
    expect(invoice).toMatchObject({
      parent: null,
      status: "paid",
      amount_paid: 6000,
      billing_reason: "manual",
      customer: idLike("cus"),
      number: expect.stringMatching(/^[0-9A-Z]{8}-0001$/),
    });
    expect(objectOf<Stripe.Checkout.Session>(events, "checkout.session.completed")).toMatchObject({ invoice: invoice.id, customer: invoice.customer });
    const payments = await stripe.invoicePayments.list({ invoice: invoice.id! });
    expect(payments.data).toEqual([
      expect.objectContaining({
        object: "invoice_payment",
        invoice: invoice.id,
        status: "paid",
        amount_paid: 6000,
        payment: { type: "payment_intent", payment_intent: idLike("pi") },
      }),
    ]);
  });

  it("settles a delayed payment later, or fails it", async () => {
    const { once } = await catalogue(stripe);
    const [later, failing] = await Promise.all(
      [1, 2].map(() => stripe.checkout.sessions.create({ mode: "payment", line_items: [{ price: once.id, quantity: 1 }], metadata: { tenant_id: "t1" } })),
    );
    const pending = await standIn.completeCheckout(later!.id, { paymentStatus: "unpaid" });
    expect(eventTypes(pending)).toEqual(["checkout.session.completed"]);
    const unpaid = objectOf<Stripe.Checkout.Session>(pending, "checkout.session.completed");
    expect(unpaid).toMatchObject({ status: "complete", payment_status: "unpaid" });
    expect(standIn.paymentIntents.get(unpaid.payment_intent as string)).toMatchObject({ status: "processing", latest_charge: null });

    const succeeded = await standIn.succeedAsyncPayment(later!.id);
    expect(eventTypes(succeeded)).toEqual(["payment_intent.succeeded", "charge.succeeded", "checkout.session.async_payment_succeeded"]);
    expect(objectOf<Stripe.Checkout.Session>(succeeded, "checkout.session.async_payment_succeeded").payment_status).toBe("paid");
    expect(objectOf<Stripe.Charge>(succeeded, "charge.succeeded").payment_method_details?.type).toBe("us_bank_account");

    await standIn.completeCheckout(failing!.id, { paymentStatus: "unpaid" });
    const failed = await standIn.failAsyncPayment(failing!.id);
    expect(eventTypes(failed)).toEqual(["payment_intent.payment_failed", "checkout.session.async_payment_failed"]);
    await expect(standIn.failAsyncPayment(failing!.id)).rejects.toThrow(/no delayed payment/);
  });

  it("starts a subscription at checkout and renews it a month later with a new invoice", async () => {
    const { monthly } = await catalogue(stripe);
    const { customer, events, subscription } = await subscribe(stripe, standIn, monthly);
    expect(eventTypes(events)).toEqual([
      "customer.subscription.created",
      "payment_intent.succeeded",
      "charge.succeeded",
      "invoice.paid",
      "checkout.session.completed",
    ]);
    const first = objectOf<Stripe.Invoice>(events, "invoice.paid");
    expect(first).toMatchObject({
      billing_reason: "subscription_create",
      customer: customer.id,
      amount_paid: 2000,
      amount_due: 2000,
      currency: "usd",
      hosted_invoice_url: `${standIn.url}/invoices/${first.id}`,
      parent: {
        type: "subscription_details",
        subscription_details: { subscription: subscription.id, metadata: { tenant_id: "t1", product: "starter-monthly" } },
      },
    });
    expect(first.lines.data[0]!.pricing?.price_details?.price).toBe(monthly.id);
    const completed = objectOf<Stripe.Checkout.Session>(events, "checkout.session.completed");
    expect(completed).toMatchObject({ subscription: subscription.id, invoice: first.id, payment_intent: null, payment_status: "paid" });

    const retrieved = await stripe.subscriptions.retrieve(subscription.id);
    const item = retrieved.items.data[0]!;
    expect(retrieved).toMatchObject({
      status: "active",
      customer: customer.id,
      cancel_at_period_end: false,
      latest_invoice: first.id,
      metadata: { tenant_id: "t1" },
    });
    expect(item.price.lookup_key).toBe(monthly.lookup_key);
    const start = new Date(item.current_period_start * 1000);
    expect(new Date(item.current_period_end * 1000).getUTCMonth()).toBe((start.getUTCMonth() + 1) % 12);

    const renewal = await standIn.renewSubscription(subscription.id);
    expect(eventTypes(renewal)).toEqual(["customer.subscription.updated", "payment_intent.succeeded", "charge.succeeded", "invoice.paid"]);
    const cycle = objectOf<Stripe.Invoice>(renewal, "invoice.paid");
    expect(cycle).toMatchObject({
      billing_reason: "subscription_cycle",
      amount_paid: 2000,
      period_start: item.current_period_start,
      period_end: item.current_period_end,
    });
    expect(cycle.lines.data[0]!.period.start).toBe(item.current_period_end);
    expect(cycle.number).toMatch(/-0002$/);
    const updated = renewal[0]!.data as { object: Stripe.Subscription; previous_attributes?: Partial<Stripe.Subscription> };
    expect(updated.object.items.data[0]!.current_period_start).toBe(item.current_period_end);
    expect(updated.previous_attributes!.items!.data[0]!.current_period_end).toBe(item.current_period_end);
    const invoices = await stripe.invoices.list({ customer: customer.id });
    expect(invoices.data.map((i) => i.id)).toEqual([cycle.id, first.id]);
    const paidBy = await stripe.invoicePayments.list({ invoice: cycle.id! });
    expect(paidBy.data[0]!.payment.payment_intent).toBe(objectOf<Stripe.PaymentIntent>(renewal, "payment_intent.succeeded").id);
  });

  it("lets a renewal fail on a declining card, leaving the subscription past due", async () => {
    const { monthly } = await catalogue(stripe);
    const { customer, subscription } = await subscribe(stripe, standIn, monthly);
    standIn.setCardBehaviour(customer.id, "card_declined");
    const renewal = await standIn.renewSubscription(subscription.id);
    expect(eventTypes(renewal)).toEqual([
      "customer.subscription.updated",
      "payment_intent.payment_failed",
      "charge.failed",
      "invoice.payment_failed",
      "customer.subscription.updated",
    ]);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe("past_due");
    standIn.setCardBehaviour(customer.id, null);
    const recovered = await standIn.renewSubscription(subscription.id);
    expect(eventTypes(recovered).slice(-2)).toEqual(["invoice.paid", "customer.subscription.updated"]);
    expect(standIn.subscriptions.get(subscription.id)?.status).toBe("active");
  });

  it("changes the plan by lookup key, and cancels now or at the period's end", async () => {
    const { monthly } = await catalogue(stripe);
    const bigger = await stripe.prices.create({
      product: monthly.product as string,
      currency: "usd",
      unit_amount: 5000,
      recurring: { interval: "month" },
      lookup_key: uniqueKey("pro"),
    });
    const { subscription } = await subscribe(stripe, standIn, monthly);
    const changed = await standIn.changeSubscription(subscription.id, bigger.lookup_key!);
    expect(eventTypes(changed)).toEqual(["customer.subscription.updated"]);
    expect((await stripe.subscriptions.retrieve(subscription.id)).items.data[0]!.price.id).toBe(bigger.id);

    const atEnd = await standIn.cancelSubscription(subscription.id, { atPeriodEnd: true });
    expect(objectOf<Stripe.Subscription>(atEnd, "customer.subscription.updated")).toMatchObject({ status: "active", cancel_at_period_end: true });
    const ended = await standIn.renewSubscription(subscription.id);
    expect(eventTypes(ended)).toEqual(["customer.subscription.deleted"]);
    expect(objectOf<Stripe.Subscription>(ended, "customer.subscription.deleted")).toMatchObject({ status: "canceled", ended_at: expect.any(Number) });

    const other = await subscribe(stripe, standIn, monthly);
    const now = await standIn.cancelSubscription(other.subscription.id);
    expect(objectOf<Stripe.Subscription>(now, "customer.subscription.deleted").cancellation_details?.reason).toBe("cancellation_requested");
    expect((await stripe.subscriptions.list({ customer: other.customer.id })).data).toEqual([]);
  });

  it("serves a paid invoice as a page and as a PDF", async () => {
    const { monthly } = await catalogue(stripe);
    const { events } = await subscribe(stripe, standIn, monthly);
    const invoice = objectOf<Stripe.Invoice>(events, "invoice.paid");
    const page = await (await fetch(invoice.hosted_invoice_url!)).text();
    expect(page).toContain(`<h1>Invoice ${invoice.number}</h1>`);
    expect(page).toContain(`<a href="${invoice.invoice_pdf}">`);
    const pdf = await fetch(invoice.invoice_pdf!);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(await pdf.text()).toMatch(/^%PDF-1\.4[\s\S]*Amount paid: \$20\.00[\s\S]*%%EOF\n$/);
  });
});

describe("billing periods", () => {
  it("end on the same day of the month as the anchor, or the month's last day", () => {
    const at = (iso: string) => Date.parse(iso) / 1000;
    const anchor = at("2027-01-31T10:00:00Z");
    expect(advance(anchor, "month", 1)).toBe(at("2027-02-28T10:00:00Z"));
    expect(advance(anchor, "month", 2)).toBe(at("2027-03-31T10:00:00Z"));
    expect(advance(at("2028-02-29T00:00:00Z"), "year", 1)).toBe(at("2029-02-28T00:00:00Z"));
    expect(advance(anchor, "week", 1)).toBe(anchor + 7 * 86_400);
  });
});
