import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogue, eventTypes, idLike, objectOf, paidPurchase, rejection, savedCard, stripeClient, uniqueKey } from "./stripe-fixtures.ts";
import { startStripeServer, type StripeStandIn } from "./stripe-server.ts";

describe("Stripe stand-in, through the real SDK", () => {
  let standIn: StripeStandIn;
  let stripe: Stripe;

  beforeAll(async () => {
    standIn = await startStripeServer();
    stripe = stripeClient(standIn);
  });
  afterAll(() => standIn.close());

  it("creates prices and finds the active one by lookup key; a taken key needs transfer_lookup_key", async () => {
    const { once, product } = await catalogue(stripe);
    expect(once).toMatchObject({
      id: idLike("price"),
      object: "price",
      type: "one_time",
      recurring: null,
      unit_amount: 2000,
      currency: "usd",
      livemode: false,
    });
    const found = await stripe.prices.list({ lookup_keys: [once.lookup_key!, "no_such_key"], active: true, limit: 1 });
    expect(found).toMatchObject({ object: "list", has_more: false, url: "/v1/prices" });
    expect(found.data.map((p) => p.id)).toEqual([once.id]);

    const again = { product: product.id, currency: "usd", unit_amount: 2500, lookup_key: once.lookup_key! };
    const refused = await rejection(stripe.prices.create(again), Stripe.errors.StripeInvalidRequestError);
    expect(refused).toMatchObject({ statusCode: 400, param: "lookup_key" });
    const moved = await stripe.prices.create({ ...again, transfer_lookup_key: true });
    expect((await stripe.prices.list({ lookup_keys: [once.lookup_key!] })).data.map((p) => p.id)).toEqual([moved.id]);
    expect((await stripe.prices.retrieve(once.id)).lookup_key).toBeNull();

    const recurring = await stripe.prices.list({ type: "recurring", limit: 100 });
    expect(recurring.data.every((p) => p.recurring?.interval === "month")).toBe(true);
  });

  it("decodes the SDK's bracket notation into nested objects and arrays", async () => {
    const { monthly } = await catalogue(stripe);
    await stripe.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: monthly.id, quantity: 2 }],
      metadata: { tenant_id: "t 1&2=3" },
      subscription_data: { metadata: { product: "starter-monthly" } },
      expand: ["line_items"],
    });
    expect(standIn.requests.at(-1)!.body).toEqual({
      mode: "subscription",
      line_items: [{ price: monthly.id, quantity: "2" }],
      metadata: { tenant_id: "t 1&2=3" },
      subscription_data: { metadata: { product: "starter-monthly" } },
      expand: ["line_items"],
    });
  });

  it("replays a request with the same idempotency key, and refuses the key with other parameters", async () => {
    const idempotencyKey = uniqueKey("idem");
    const before = standIn.customers.size;
    const first = await stripe.customers.create({ email: "a@example.com", metadata: { tenant_id: "t1" } }, { idempotencyKey });
    const replay = await stripe.customers.create({ email: "a@example.com", metadata: { tenant_id: "t1" } }, { idempotencyKey });
    expect(replay.id).toBe(first.id);
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    expect(standIn.customers.size).toBe(before + 1);

    const conflict = await rejection(stripe.customers.create({ email: "b@example.com" }, { idempotencyKey }), Stripe.errors.StripeIdempotencyError);
    expect(conflict).toMatchObject({ statusCode: 400, rawType: "idempotency_error" });
    expect(conflict.message).toContain(idempotencyKey);
  });

  it("answers the SDK's retry after an injected 500 once, under the key the SDK made", async () => {
    const retrying = stripeClient(standIn, { maxNetworkRetries: 1 });
    const before = standIn.requests.length;
    standIn.failNext(500);
    const created = await retrying.customers.create({ email: "retry@example.com" });
    const sent = standIn.requests.slice(before);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.headers["idempotency-key"]).toMatch(/^stripe-node-retry-/);
    expect(sent[1]!.headers["idempotency-key"]).toBe(sent[0]!.headers["idempotency-key"]);
    expect(standIn.customers.get(created.id)?.email).toBe("retry@example.com");
  });

  it("refuses a missing or wrong key, unknown routes and unknown ids, in Stripe's words", async () => {
    const badKey = new Stripe("sk_test_wrong1234", { host: "127.0.0.1", port: Number(new URL(standIn.url).port), protocol: "http" });
    const unauthorized = await rejection(badKey.customers.create({}), Stripe.errors.StripeAuthenticationError);
    expect(unauthorized).toMatchObject({ statusCode: 401, message: "Invalid API Key provided: sk_test_*****1234" });
    const missing = await fetch(`${standIn.url}/v1/customers`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      error: { type: "invalid_request_error", message: expect.stringContaining("You did not provide an API key") },
    });

    const unknown = await fetch(`${standIn.url}/v1/nothing/here`, { headers: { authorization: `Bearer ${standIn.secretKey}` } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { type: "invalid_request_error", message: expect.stringMatching(/^Unrecognized request URL \(GET: \/v1\/nothing\/here\)/) },
    });
    const noCustomer = await rejection(stripe.customers.retrieve("cus_missing"), Stripe.errors.StripeInvalidRequestError);
    expect(noCustomer).toMatchObject({ statusCode: 404, code: "resource_missing", param: "id", message: "No such customer: 'cus_missing'" });
  });

  it("holds requests while down, until the SDK gives up", async () => {
    standIn.setDown(true);
    try {
      await rejection(stripeClient(standIn, { timeout: 200 }).customers.retrieve("cus_any"), Stripe.errors.StripeConnectionError);
    } finally {
      standIn.setDown(false);
    }
  });

  it("pages through events newest first, past 100, with created[gte]", async () => {
    await standIn.settled();
    const since = Math.floor(Date.now() / 1000);
    const { customer, method } = await savedCard(stripe, standIn);
    const before = standIn.events.length;
    for (let i = 0; i < 52; i++)
      await stripe.paymentIntents.create({
        amount: 100 + i,
        currency: "usd",
        customer: customer.id,
        payment_method: method.id,
        off_session: true,
        confirm: true,
      });
    const made = standIn.events.slice(before).filter((e) => e.created >= since);
    const listed: Stripe.Event[] = [];
    for await (const event of stripe.events.list({ created: { gte: since }, limit: 100, types: ["payment_intent.succeeded", "charge.succeeded"] }))
      listed.push(event);
    expect(listed.length).toBeGreaterThanOrEqual(104);
    expect(listed.slice(0, 104).map((e) => e.id)).toEqual(made.map((e) => e.id).reverse());
    expect((await stripe.events.retrieve(listed[0]!.id)).id).toBe(listed[0]!.id);

    const page = await stripe.events.list({ limit: 3, ending_before: listed[5]!.id });
    expect(page.data.map((e) => e.id)).toEqual(listed.slice(2, 5).map((e) => e.id));
    expect(page.has_more).toBe(true);
    const charges = await stripe.events.list({ type: "charge.*", created: { gte: since }, limit: 100 });
    expect(charges.data.filter((e) => e.type === "charge.succeeded").length).toBeGreaterThanOrEqual(53);
    expect(charges.data.every((e) => e.type.startsWith("charge."))).toBe(true);
    const tooMany = await rejection(stripe.events.list({ limit: 101 }), Stripe.errors.StripeInvalidRequestError);
    expect(tooMany.param).toBe("limit");
  });

  it("charges a saved card off-session, and declines as the card is told to", async () => {
    const { customer, method } = await savedCard(stripe, standIn);
    const payment = {
      amount: 5000,
      currency: "usd",
      customer: customer.id,
      payment_method: method.id,
      off_session: true,
      confirm: true,
      metadata: { kind: "auto_top_up" },
    };
    const intent = await stripe.paymentIntents.create(payment);
    expect(intent).toMatchObject({ status: "succeeded", amount_received: 5000, latest_charge: idLike("ch"), metadata: { kind: "auto_top_up" } });
    await standIn.settled();
    expect(eventTypes(standIn.events.slice(-2))).toEqual(["payment_intent.succeeded", "charge.succeeded"]);
    expect(standIn.events.at(-1)!.request?.idempotency_key).toMatch(/^stripe-node-retry-/);

    for (const behaviour of ["card_declined", "authentication_required"] as const) {
      standIn.setCardBehaviour(customer.id, behaviour);
      const declined = await rejection(stripe.paymentIntents.create(payment), Stripe.errors.StripeCardError);
      expect(declined).toMatchObject({ statusCode: 402, code: behaviour, decline_code: behaviour === "card_declined" ? "generic_decline" : behaviour });
      expect(declined.payment_intent).toMatchObject({ status: "requires_payment_method", last_payment_error: { code: behaviour } });
      await standIn.settled();
      expect(standIn.events.at(-2)!.type).toBe("payment_intent.payment_failed");
    }
    standIn.setCardBehaviour(customer.id, null);
    expect((await stripe.paymentIntents.create(payment)).status).toBe("succeeded");
  });

  it("refunds part and then the rest of a payment, and refuses more", async () => {
    const intent = await paidPurchase(stripe, standIn);

    const partial = await stripe.refunds.create({ payment_intent: intent, amount: 500 });
    expect(partial).toMatchObject({ id: idLike("re"), object: "refund", amount: 500, status: "succeeded", payment_intent: intent });
    await standIn.settled();
    const refundedEvent = standIn.events.findLast((e) => e.type === "charge.refunded")!;
    expect(refundedEvent.data.object).toMatchObject({ amount: 2000, amount_refunded: 500, refunded: false, payment_intent: intent });
    expect(refundedEvent.data.object).not.toHaveProperty("refunds");
    expect(refundedEvent.request?.id).toMatch(/^req_/);

    const rest = await standIn.refund(intent);
    expect(eventTypes(rest)).toEqual(["charge.refunded", "refund.created"]);
    expect(objectOf<Stripe.Charge>(rest, "charge.refunded")).toMatchObject({ amount_refunded: 2000, refunded: true });
    // Events are snapshots: the earlier one still shows the charge as it was then.
    expect(refundedEvent.data.object).toMatchObject({ amount_refunded: 500 });
    const again = await rejection(stripe.refunds.create({ payment_intent: intent }), Stripe.errors.StripeInvalidRequestError);
    expect(again.code).toBe("charge_already_refunded");
  });

  it("opens a dispute for the whole charge and closes it", async () => {
    const intent = await paidPurchase(stripe, standIn);
    const opened = await standIn.dispute(intent);
    const dispute = objectOf<Stripe.Dispute>(opened, "charge.dispute.created");
    expect(dispute).toMatchObject({ id: idLike("dp"), amount: 2000, status: "needs_response", payment_intent: intent, charge: idLike("ch") });
    const refused = await rejection(stripe.refunds.create({ payment_intent: intent }), Stripe.errors.StripeInvalidRequestError);
    expect(refused.code).toBe("charge_disputed");
    const closed = await standIn.closeDispute(dispute.id, "won");
    expect(eventTypes(closed)).toEqual(["charge.dispute.closed"]);
    expect(objectOf<Stripe.Dispute>(closed, "charge.dispute.closed").status).toBe("won");
  });

  it("opens a billing portal session with a page that links back", async () => {
    const customer = await stripe.customers.create({ email: "portal@example.com" });
    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: "https://app.example/billing" });
    expect(portal).toMatchObject({
      id: idLike("bps"),
      object: "billing_portal.session",
      url: `${standIn.url}/billing-portal/${portal.id}`,
      customer: customer.id,
    });
    const page = await (await fetch(portal.url)).text();
    expect(page).toContain('<a href="https://app.example/billing">Return to BizBot</a>');
  });
});
