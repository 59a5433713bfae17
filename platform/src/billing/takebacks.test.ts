import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Stripe from "stripe";
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
  spend,
  startBillingStage,
  underAnotherId,
} from "../../test/billing.ts";

let stage: BillingStage;
beforeAll(async () => {
  stage = await startBillingStage();
});
afterAll(() => stage?.close());

describe("refunds and disputes", () => {
  it("takes a refund back after the credits were spent, below zero, and spending stops until a top-up", async () => {
    const owner = await newOwner(stage);
    const tenantId = owner.tenant.id;
    const { paymentIntent } = await buyPackage(stage, owner);
    await spend(stage.app, tenantId, await balanceOf(stage.app, tenantId));
    expect(await balanceOf(stage.app, tenantId)).toBe(0);
    await deliverAll(stage, await stage.stripe.refund(paymentIntent));
    expect(await balanceOf(stage.app, tenantId)).toBe(-500);
    await expect(spend(stage.app, tenantId, 1)).rejects.toMatchObject({ reason: "payment_required" });
    // Another package clears the debt: the balance is back at 0 and spending resumes.
    await buyPackage(stage, owner);
    expect(await balanceOf(stage.app, tenantId)).toBe(0);
    await buyPackage(stage, owner);
    await expect(spend(stage.app, tenantId, 1)).resolves.toMatchObject({ balance: 499 });
    await assertBooksBalance(stage.app, tenantId);
  });

  it("takes back each partial refund once, and a late copy of an earlier refund takes nothing", async () => {
    const owner = await newOwner(stage);
    const tenantId = owner.tenant.id;
    const { paymentIntent } = await buyPackage(stage, owner);
    const start = await balanceOf(stage.app, tenantId);
    const first = eventOf(await stage.stripe.refund(paymentIntent, 500), "charge.refunded");
    await Promise.all(Array.from({ length: 10 }, () => stage.stripe.deliver(first, { url: stage.webhookUrl })));
    expect(await balanceOf(stage.app, tenantId)).toBe(start - 125);
    const second = eventOf(await stage.stripe.refund(paymentIntent), "charge.refunded");
    await deliverAll(stage, [second, underAnotherId(first), underAnotherId(second)]);
    expect(await balanceOf(stage.app, tenantId)).toBe(start - 500);
    await assertBooksBalance(stage.app, tenantId);
  });

  it("defers a refund that arrives before its purchase with a 503, so that Stripe's retry applies it once the purchase is in", async () => {
    const owner = await newOwner(stage);
    const tenantId = owner.tenant.id;
    const before = await balanceOf(stage.app, tenantId);
    const sessionId = await checkout(stage, owner, "starter");
    const bought = await stage.stripe.completeCheckout(sessionId);
    const paymentIntent = stage.stripe.checkoutSessions.get(sessionId)!.payment_intent as string;
    const refunded = eventOf(await stage.stripe.refund(paymentIntent), "charge.refunded");
    const early = await stage.stripe.deliver(refunded, { url: stage.webhookUrl });
    expect(early.status).toBe(503);
    expect(await stage.app.deps.db.selectFrom("stripe_events").select("id").where("id", "=", refunded.id).execute()).toEqual([]);
    await deliverAll(stage, bought);
    expect(await balanceOf(stage.app, tenantId)).toBe(before + 500);
    await deliverAll(stage, [refunded]);
    expect(await balanceOf(stage.app, tenantId)).toBe(before);
  });

  it("loses no refund delivered at the same moment as its purchase: what must wait is delivered again", async () => {
    const owner = await newOwner(stage);
    const tenantId = owner.tenant.id;
    const before = await balanceOf(stage.app, tenantId);
    const sessionId = await checkout(stage, owner, "starter");
    const bought = await stage.stripe.completeCheckout(sessionId);
    const refunded = eventOf(await stage.stripe.refund(stage.stripe.checkoutSessions.get(sessionId)!.payment_intent as string), "charge.refunded");
    const results = await Promise.all(
      [...bought, refunded].map(async (event) => ({ event, res: await stage.stripe.deliver(event, { url: stage.webhookUrl }) })),
    );
    // Stripe delivers again whatever was not answered 2xx.
    await deliverAll(
      stage,
      results.filter((r) => r.res.status !== 200).map((r) => r.event),
    );
    expect(await balanceOf(stage.app, tenantId)).toBe(before);
    await assertBooksBalance(stage.app, tenantId);
  });

  it("claws back a disputed payment and tells the owners; a dispute won gives the credits back once", async () => {
    const owner = await newOwner(stage);
    const tenantId = owner.tenant.id;
    const { paymentIntent } = await buyPackage(stage, owner);
    const start = await balanceOf(stage.app, tenantId);
    const opened = await stage.stripe.dispute(paymentIntent);
    await deliverAll(stage, [...opened, ...opened]);
    expect(await balanceOf(stage.app, tenantId)).toBe(start - 500);
    expect(await outboxTo(stage.app, owner.email, "billing.dispute")).toHaveLength(1);
    const dispute = eventOf(opened, "charge.dispute.created").data.object as Stripe.Dispute;
    const closed = await stage.stripe.closeDispute(dispute.id, "won");
    await deliverAll(stage, [...closed, ...closed.map(underAnotherId)]);
    expect(await balanceOf(stage.app, tenantId)).toBe(start);
    await assertBooksBalance(stage.app, tenantId);
  });

  it("takes nothing for a dispute whose closing (won) arrived before its opening", async () => {
    const owner = await newOwner(stage);
    const { paymentIntent } = await buyPackage(stage, owner);
    const start = await balanceOf(stage.app, owner.tenant.id);
    const opened = await stage.stripe.dispute(paymentIntent);
    const dispute = eventOf(opened, "charge.dispute.created").data.object as Stripe.Dispute;
    const closed = await stage.stripe.closeDispute(dispute.id, "won");
    await deliverAll(stage, [...closed, ...opened]);
    expect(await balanceOf(stage.app, owner.tenant.id)).toBe(start);
  });

  it("takes nothing for an inquiry, and what a dispute held counts toward a refund made while it was open", async () => {
    const owner = await newOwner(stage);
    const tenantId = owner.tenant.id;
    const { paymentIntent } = await buyPackage(stage, owner);
    const start = await balanceOf(stage.app, tenantId);
    const opened = eventOf(await stage.stripe.dispute(paymentIntent), "charge.dispute.created");
    const dispute = opened.data.object as Stripe.Dispute;
    // The same dispute as an inquiry: questions from the bank, no money taken.
    const inquiry = {
      ...opened,
      id: `${opened.id}_inquiry`,
      data: { object: { ...dispute, id: `${dispute.id}_inquiry`, status: "warning_needs_response" } },
    } as Stripe.Event;
    await deliverAll(stage, [inquiry]);
    expect(await balanceOf(stage.app, tenantId)).toBe(start);
    // A real dispute takes all 500; a half refund while it is open takes nothing more; winning gives back the unrefunded 250.
    await deliverAll(stage, [opened]);
    expect(await balanceOf(stage.app, tenantId)).toBe(start - 500);
    // (Stripe refuses to refund a charged-back charge, but refunds an inquiry's: the refund is written as Stripe sends it.)
    const charge = [...stage.stripe.charges.values()].find((c) => c.payment_intent === paymentIntent)!;
    const halfRefunded = {
      ...opened,
      id: `${opened.id}_refund`,
      type: "charge.refunded",
      data: { object: { ...charge, amount_refunded: 1000 } },
    } as Stripe.Event;
    await deliverAll(stage, [halfRefunded]);
    expect(await balanceOf(stage.app, tenantId)).toBe(start - 500);
    const won = { ...opened, id: `${opened.id}_won`, type: "charge.dispute.closed", data: { object: { ...dispute, status: "won" } } } as Stripe.Event;
    await deliverAll(stage, [won]);
    expect(await balanceOf(stage.app, tenantId)).toBe(start - 250);
    await assertBooksBalance(stage.app, tenantId);
  });

  it("answers 200 for a signed event about an object Stripe no longer has, rather than failing it forever", async () => {
    const owner = await newOwner(stage);
    const sessionId = await checkout(stage, owner, "starter-monthly");
    const created = eventOf(await stage.stripe.completeCheckout(sessionId), "customer.subscription.created");
    const subscription = created.data.object as Stripe.Subscription;
    const ghost = { ...created, id: `${created.id}_ghost`, data: { object: { ...subscription, id: "sub_gone", status: "canceled" } } } as Stripe.Event;
    expect((await stage.stripe.deliver(ghost, { url: stage.webhookUrl })).status).toBe(200);
  });

  it("keeps the credits taken when a dispute is lost", async () => {
    const owner = await newOwner(stage);
    const tenantId = owner.tenant.id;
    const { paymentIntent } = await buyPackage(stage, owner);
    const start = await balanceOf(stage.app, tenantId);
    const opened = await stage.stripe.dispute(paymentIntent);
    await deliverAll(stage, opened);
    const dispute = eventOf(opened, "charge.dispute.created").data.object as Stripe.Dispute;
    await deliverAll(stage, await stage.stripe.closeDispute(dispute.id, "lost"));
    expect(await balanceOf(stage.app, tenantId)).toBe(start - 500);
  });
});
