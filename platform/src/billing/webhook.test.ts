import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Stripe from "stripe";
import { bearer, trpcMutation, trpcQuery } from "@bizbot/testing";
import { rowCounts, startTestApp } from "../../test/harness.ts";
import {
  assertBooksBalance,
  balanceOf,
  type BillingStage,
  buyPackage,
  checkout,
  deliverAll,
  eventOf,
  newOwner,
  outboxTo,
  startBillingStage,
  underAnotherId,
} from "../../test/billing.ts";
import { HANDLED_EVENTS } from "./events.ts";
import { reconcile } from "./sync.ts";

let stage: BillingStage;
beforeAll(async () => {
  stage = await startBillingStage();
});
afterAll(() => stage?.close());

const deps = () => ({ ...stage.app.deps, stripe: stage.app.deps.stripe! });

describe("the webhook's signature", () => {
  it("refuses a bad signature, a stale timestamp, a wrong secret and no signature with 400, writing nothing", async () => {
    const owner = await newOwner(stage);
    const sessionId = await checkout(stage, owner, "starter");
    const completed = eventOf(await stage.stripe.completeCheckout(sessionId), "checkout.session.completed");
    const before = await rowCounts(stage.app.deps.db);
    const balance = await balanceOf(stage.app, owner.tenant.id);
    const now = Math.floor(Date.now() / 1000);
    const attempts = [
      { signature: `t=${now},v1=${"0".repeat(64)}` },
      { timestamp: now - 301 },
      { secret: "whsec_not_ours" },
      { signature: "" },
      // Signed, then changed: the signature covers the bytes.
      { payload: JSON.stringify({ ...completed, id: "evt_forged" }), signature: undefined },
    ];
    for (const options of attempts) {
      const res = await stage.stripe.deliver(completed, { url: stage.webhookUrl, ...options });
      expect(res.status, JSON.stringify(options)).toBe(400);
    }
    const forged = await fetch(stage.webhookUrl, { method: "POST", body: JSON.stringify(completed), headers: { "content-type": "application/json" } });
    expect(forged.status).toBe(400);
    expect(await rowCounts(stage.app.deps.db)).toEqual(before);
    expect(await balanceOf(stage.app, owner.tenant.id)).toBe(balance);
    // The same event, signed properly, is applied.
    expect((await stage.stripe.deliver(completed, { url: stage.webhookUrl })).status).toBe(200);
    expect(await balanceOf(stage.app, owner.tenant.id)).toBe(balance + 500);
  });

  it("answers 503 while billing is not configured", async () => {
    const bare = await startTestApp();
    try {
      const res = await fetch(`${bare.url}/webhooks/stripe`, { method: "POST", body: "{}", headers: { "stripe-signature": "t=1,v1=00" } });
      expect(res.status).toBe(503);
      const status = await trpcQuery<{ configured: boolean }>(bare.url, "billing.status", { headers: bearer((await newOwnerOn(bare.url)).token) });
      expect(status.data!.configured).toBe(false);
    } finally {
      await bare.close();
    }
  });
});

async function newOwnerOn(url: string) {
  const { signUpAccount } = await import("@bizbot/testing");
  return signUpAccount(url);
}

describe("hostile or malformed events, correctly signed", () => {
  it("are acknowledged without failing and without moving a credit", async () => {
    const owner = await newOwner(stage);
    const { paymentIntent } = await buyPackage(stage, owner);
    const ledgerSize = async () =>
      (
        await stage.app.deps.db
          .selectFrom("credit_ledger")
          .select(({ fn }) => fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n;
    const before = await ledgerSize();
    const now = Math.floor(Date.now() / 1000);
    const objects: Array<Record<string, unknown>> = [
      {},
      { id: "x_1", metadata: null, payment_intent: 42, customer: ["not", "an", "id"] },
      { id: "x_2", mode: "payment", payment_status: "paid", metadata: { tenant_id: "ten_nobody", product: "starter" }, client_reference_id: "ten_nobody" },
      // About our payment, with numbers that are not numbers (as a dispute, an inquiry: it takes nothing either way).
      { id: "x_3", payment_intent: paymentIntent, amount: "lots", amount_refunded: "some", status: "warning_needs_response" },
      {
        id: "x_4",
        parent: { subscription_details: { metadata: { tenant_id: owner.tenant.id, product: "no-such-plan" } } },
        billing_reason: "subscription_cycle",
        amount_paid: 5000,
        lines: null,
      },
    ];
    let n = 0;
    for (const type of HANDLED_EVENTS) {
      for (const object of objects) {
        const event = { id: `evt_hostile_${now}_${n++}`, object: "event", type, created: now, data: { object } } as unknown as Stripe.Event;
        const res = await stage.stripe.deliver(event, { url: stage.webhookUrl });
        expect(res.status, `${type} ${JSON.stringify(object)}: ${res.body}`).toBe(200);
      }
    }
    expect(await ledgerSize()).toBe(before);
  });
});

describe("a credit package", () => {
  it("is credited once when paid, with its reference in the ledger, a payment row and an e-mail", async () => {
    const owner = await newOwner(stage);
    const before = await balanceOf(stage.app, owner.tenant.id);
    const { sessionId, paymentIntent } = await buyPackage(stage, owner, "professional");
    expect(await balanceOf(stage.app, owner.tenant.id)).toBe(before + 1500);
    const ledger = await trpcQuery<{ entries: Array<{ kind: string; reference: string; delta: number }> }>(stage.app.url, "credits.ledger", {
      input: {},
      headers: bearer(owner.token),
    });
    expect(ledger.data!.entries[0]).toMatchObject({ kind: "purchase", reference: sessionId, delta: 1500 });
    const status = await trpcQuery<{ payments: Array<{ reference: string; credits: number; amount: number }> }>(stage.app.url, "billing.status", {
      headers: bearer(owner.token),
    });
    expect(status.data!.payments).toEqual([expect.objectContaining({ reference: sessionId, credits: 1500, amount: 5000 })]);
    const payment = await stage.app.deps.db.selectFrom("billing_payments").selectAll().where("reference", "=", sessionId).executeTakeFirstOrThrow();
    expect(payment.payment_intent).toBe(paymentIntent);
    const mail = await outboxTo(stage.app, owner.email, "billing.purchase");
    expect(mail).toHaveLength(1);
    expect((mail[0]!.payload as { text: string }).text).toContain("1,500 credits");
    await assertBooksBalance(stage.app, owner.tenant.id);
  });

  it("grants once for 50 concurrent deliveries of one event", async () => {
    const owner = await newOwner(stage);
    const before = await balanceOf(stage.app, owner.tenant.id);
    const sessionId = await checkout(stage, owner, "starter");
    const completed = eventOf(await stage.stripe.completeCheckout(sessionId), "checkout.session.completed");
    const results = await Promise.all(Array.from({ length: 50 }, () => stage.stripe.deliver(completed, { url: stage.webhookUrl })));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    const outcomes = results.map((r) => JSON.parse(r.body).outcome);
    expect(outcomes.filter((o) => o === "applied")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(49);
    expect(await balanceOf(stage.app, owner.tenant.id)).toBe(before + 500);
    expect(await stage.app.deps.db.selectFrom("stripe_events").select("id").where("id", "=", completed.id).execute()).toHaveLength(1);
    await assertBooksBalance(stage.app, owner.tenant.id);
  });

  it("grants once when the purchase comes under two event ids, and again from a reconcile", async () => {
    const owner = await newOwner(stage);
    const before = await balanceOf(stage.app, owner.tenant.id);
    const sessionId = await checkout(stage, owner, "starter");
    const completed = eventOf(await stage.stripe.completeCheckout(sessionId), "checkout.session.completed");
    await Promise.all([completed, underAnotherId(completed)].map((e) => stage.stripe.deliver(e, { url: stage.webhookUrl })));
    expect(await balanceOf(stage.app, owner.tenant.id)).toBe(before + 500);
    const result = await reconcile(deps(), new Date(Date.now() - 3600_000));
    expect(result.read).toBeGreaterThan(0);
    expect(await balanceOf(stage.app, owner.tenant.id)).toBe(before + 500);
    // checkout.session.async_payment_succeeded for a session already paid adds nothing either.
    const late = { ...completed, id: `${completed.id}_async`, type: "checkout.session.async_payment_succeeded" } as Stripe.Event;
    expect((await stage.stripe.deliver(late, { url: stage.webhookUrl })).status).toBe(200);
    expect(await balanceOf(stage.app, owner.tenant.id)).toBe(before + 500);
  });

  it("is applied by a reconcile when its webhook never came", async () => {
    const owner = await newOwner(stage);
    const before = await balanceOf(stage.app, owner.tenant.id);
    const sessionId = await checkout(stage, owner, "business");
    await stage.stripe.completeCheckout(sessionId);
    expect(await balanceOf(stage.app, owner.tenant.id)).toBe(before);
    const first = await reconcile(deps(), new Date(Date.now() - 3600_000));
    expect(first.applied).toBeGreaterThan(0);
    expect(await balanceOf(stage.app, owner.tenant.id)).toBe(before + 3500);
    const second = await reconcile(deps(), new Date(Date.now() - 3600_000));
    expect(second.applied).toBe(0);
    expect(second.duplicate).toBe(second.read - second.deferred);
    expect(await balanceOf(stage.app, owner.tenant.id)).toBe(before + 3500);
  });

  it("waits for a delayed payment method: nothing while unpaid, credits when it succeeds, an e-mail when it fails", async () => {
    const owner = await newOwner(stage);
    const before = await balanceOf(stage.app, owner.tenant.id);
    const paying = await checkout(stage, owner, "starter");
    await deliverAll(stage, await stage.stripe.completeCheckout(paying, { paymentStatus: "unpaid" }));
    expect(await balanceOf(stage.app, owner.tenant.id)).toBe(before);
    await deliverAll(stage, await stage.stripe.succeedAsyncPayment(paying));
    expect(await balanceOf(stage.app, owner.tenant.id)).toBe(before + 500);

    const failing = await checkout(stage, owner, "starter");
    await deliverAll(stage, await stage.stripe.completeCheckout(failing, { paymentStatus: "unpaid" }));
    await deliverAll(stage, await stage.stripe.failAsyncPayment(failing));
    expect(await balanceOf(stage.app, owner.tenant.id)).toBe(before + 500);
    expect(await outboxTo(stage.app, owner.email, "billing.payment_failed")).toHaveLength(1);
  });

  it("acknowledges an event it does not handle, and changes nothing", async () => {
    const owner = await newOwner(stage);
    const balance = await balanceOf(stage.app, owner.tenant.id);
    const event = {
      ...eventOf(stage.stripe.events, "checkout.session.completed"),
      id: `evt_unhandled_${owner.tenant.id}`,
      type: "customer.created",
    } as Stripe.Event;
    const res = await stage.stripe.deliver(event, { url: stage.webhookUrl });
    expect(res.status).toBe(200);
    expect(await balanceOf(stage.app, owner.tenant.id)).toBe(balance);
  });
});

describe("a monthly plan", () => {
  it("credits each paid invoice once, follows plan changes in any order, and ends with the subscription", async () => {
    const owner = await newOwner(stage);
    const tenantId = owner.tenant.id;
    const before = await balanceOf(stage.app, tenantId);
    const sessionId = await checkout(stage, owner, "starter-monthly");
    const started = await stage.stripe.completeCheckout(sessionId);
    await deliverAll(stage, [...started, ...started]);
    expect(await balanceOf(stage.app, tenantId)).toBe(before + 500);
    const subscriptionId = stage.stripe.checkoutSessions.get(sessionId)!.subscription as string;
    const status = () => trpcQuery<{ plan: { product: string; status: string } | null }>(stage.app.url, "billing.status", { headers: bearer(owner.token) });
    expect((await status()).data!.plan).toMatchObject({ product: "starter-monthly", status: "active" });

    // Two renewals grant twice; each redelivered grants nothing more.
    const first = await stage.stripe.renewSubscription(subscriptionId);
    const second = await stage.stripe.renewSubscription(subscriptionId);
    await deliverAll(stage, [...second, ...first, ...first, ...second]);
    expect(await balanceOf(stage.app, tenantId)).toBe(before + 1500);

    // A second plan while one is live is refused: changes go through Stripe's portal.
    const again = await trpcMutation(stage.app.url, "billing.checkout", { input: { product: "business-monthly" }, headers: bearer(owner.token) });
    expect(again.status).toBe(409);

    // The update arrives before an older "created": the plan is what Stripe says now, not what came last.
    const changed = await stage.stripe.changeSubscription(subscriptionId, "bizbot_professional_monthly");
    await deliverAll(stage, [
      ...changed,
      { ...eventOf(started, "customer.subscription.created"), id: `${eventOf(started, "customer.subscription.created").id}_late` } as Stripe.Event,
    ]);
    expect((await status()).data!.plan).toMatchObject({ product: "professional-monthly" });
    // Its next invoice buys the new plan's credits, although the subscription's metadata still names the old one.
    const renewal = await stage.stripe.renewSubscription(subscriptionId);
    await deliverAll(stage, renewal);
    expect(await balanceOf(stage.app, tenantId)).toBe(before + 1500 + 1500);
    // A plan change's proration invoice buys no month of credits.
    const paid = eventOf(renewal, "invoice.paid");
    const invoice = paid.data.object as Stripe.Invoice;
    const proration = {
      ...paid,
      id: `${paid.id}_proration`,
      data: { object: { ...invoice, id: `${invoice.id}_proration`, billing_reason: "subscription_update", amount_paid: 100 } },
    };
    await deliverAll(stage, [proration as Stripe.Event]);
    expect(await balanceOf(stage.app, tenantId)).toBe(before + 1500 + 1500);

    // While the plan is live, the workspace cannot be deleted: its card would go on being charged.
    const deletion = await trpcMutation(stage.app.url, "tenant.delete", { input: { confirmName: owner.tenant.name }, headers: bearer(owner.token) });
    expect(deletion.status).toBe(409);

    await deliverAll(stage, await stage.stripe.cancelSubscription(subscriptionId));
    expect((await status()).data!.plan).toBeNull();
    await assertBooksBalance(stage.app, tenantId);
  });

  it("keeps the newer of two reads of a subscription, whichever commits last", async () => {
    const owner = await newOwner(stage);
    const sessionId = await checkout(stage, owner, "starter-monthly");
    await deliverAll(stage, await stage.stripe.completeCheckout(sessionId));
    const subscriptionId = stage.stripe.checkoutSessions.get(sessionId)!.subscription as string;
    // As if another event's read, taken after this one's, had already been written.
    const later = new Date(Date.now() + 3600_000);
    await stage.app.deps.db.updateTable("billing_accounts").set({ plan_read_at: later }).where("tenant_id", "=", owner.tenant.id).execute();
    await deliverAll(stage, await stage.stripe.changeSubscription(subscriptionId, "bizbot_business_monthly"));
    const account = await stage.app.deps.db.selectFrom("billing_accounts").selectAll().where("tenant_id", "=", owner.tenant.id).executeTakeFirstOrThrow();
    expect(account.plan).toBe("starter-monthly");
    expect(account.plan_read_at).toEqual(later);
  });
});
