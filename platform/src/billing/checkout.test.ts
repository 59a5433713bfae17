import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, trpcMutation, trpcQuery, type TestAccount } from "@bizbot/testing";
import {
  assertBooksBalance,
  balanceOf,
  type BillingStage,
  buyPackage,
  checkout,
  deliverAll,
  newOwner,
  outboxTo,
  PORTAL,
  spend,
  startBillingStage,
} from "../../test/billing.ts";
import { syncPrices } from "./sync.ts";
import { runDueTopUps, topUp } from "./top-up.ts";

let stage: BillingStage;
beforeAll(async () => {
  stage = await startBillingStage();
});
afterAll(() => stage?.close());

const deps = () => ({ ...stage.app.deps, stripe: stage.app.deps.stripe! });
describe("prices", () => {
  it("are synced once: a second run creates nothing, and a price of another amount is replaced under its lookup key", async () => {
    const again = await syncPrices(stage.app.deps.stripe!);
    expect(again.created).toEqual([]);
    expect(again.existing).toHaveLength(8);
    const wrong = await stage.app.deps.stripe!.api.prices.create({
      currency: "usd",
      unit_amount: 1999,
      lookup_key: "bizbot_starter",
      transfer_lookup_key: true,
      product_data: { name: "Someone's edit" },
    });
    const fixed = await syncPrices(stage.app.deps.stripe!);
    expect(fixed.replaced).toEqual(["bizbot_starter"]);
    const found = await stage.app.deps.stripe!.api.prices.list({ lookup_keys: ["bizbot_starter"], active: true });
    expect(found.data.map((p) => p.unit_amount)).toEqual([2000]);
    expect(found.data[0]!.id).not.toBe(wrong.id);
  });
});

describe("checkout", () => {
  it("makes a Stripe Checkout for a package carrying the tenant and product, with an idempotency key, returning to the portal", async () => {
    const owner = await newOwner(stage);
    const res = await trpcMutation<{ url: string; sessionId: string }>(stage.app.url, "billing.checkout", {
      input: { product: "starter" },
      headers: bearer(owner.token),
    });
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    expect(res.data!.url.startsWith(stage.stripe.url)).toBe(true);
    const session = stage.stripe.checkoutSessions.get(res.data!.sessionId)!;
    expect(session).toMatchObject({ mode: "payment", client_reference_id: owner.tenant.id, metadata: { tenant_id: owner.tenant.id, product: "starter" } });
    expect(session.success_url).toBe(`${PORTAL}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`);
    expect(session.cancel_url).toBe(`${PORTAL}/billing?checkout=cancelled`);
    // Our own keys (the SDK adds a random one to any POST without): a retry of the whole call makes nothing twice.
    const keyOf = (path: string) =>
      stage.stripe.requests.filter((r) => r.method === "POST" && r.path === path).map((r) => String(r.headers["idempotency-key"]));
    expect(keyOf("/v1/checkout/sessions")).toContainEqual(expect.stringMatching(new RegExp(`^bizbot-checkout:${owner.tenant.id}:starter:`)));
    expect(keyOf("/v1/customers")).toContain(`bizbot-customer:${owner.tenant.id}`);
    // The same idempotency key gives the same page back (a double click).
    const twice = await Promise.all(
      [1, 2].map(() =>
        trpcMutation<{ sessionId: string }>(stage.app.url, "billing.checkout", {
          input: { product: "business", idempotencyKey: "form-1" },
          headers: bearer(owner.token),
        }),
      ),
    );
    expect(twice[0]!.data!.sessionId).toBe(twice[1]!.data!.sessionId);
  });

  it("makes one Stripe customer per tenant, even for concurrent first checkouts", async () => {
    const owner = await newOwner(stage);
    const sessions = await Promise.all(Array.from({ length: 8 }, () => checkout(stage, owner, "starter")));
    const customers = new Set(sessions.map((id) => stage.stripe.checkoutSessions.get(id)!.customer));
    expect(customers.size).toBe(1);
    const ofTenant = [...stage.stripe.customers.values()].filter((c) => c.metadata?.tenant_id === owner.tenant.id);
    expect(ofTenant).toHaveLength(1);
    expect(ofTenant[0]!.email).toBe(owner.email.toLowerCase());
  });

  it("starts a subscription for a plan", async () => {
    const owner = await newOwner(stage);
    const sessionId = await checkout(stage, owner, "enterprise-monthly");
    expect(stage.stripe.checkoutSessions.get(sessionId)).toMatchObject({ mode: "subscription", metadata: { product: "enterprise-monthly" } });
  });

  it("refuses unknown products, and says when Stripe is away", async () => {
    const owner = await newOwner(stage);
    const unknown = await trpcMutation(stage.app.url, "billing.checkout", { input: { product: "platinum" }, headers: bearer(owner.token) });
    expect(unknown.status).toBe(400);
    stage.stripe.failNext(500, 10);
    const away = await trpcMutation<unknown>(stage.app.url, "billing.checkout", { input: { product: "starter" }, headers: bearer(owner.token) });
    stage.stripe.failNext(500, 0);
    expect(away.status).toBe(503);
    expect(away.error!.message).toMatch(/Stripe/);
  });
});

describe("the page Checkout returns to", () => {
  const result = (owner: TestAccount, sessionId: string) =>
    trpcQuery<{ state: string; product: string; credits: number | null }>(stage.app.url, "billing.checkoutResult", {
      input: { sessionId },
      headers: bearer(owner.token),
    });

  it("says whether the credits are in yet, for a package and for a plan, and only to the tenant that paid", async () => {
    const owner = await newOwner(stage);
    const sessionId = await checkout(stage, owner, "starter");
    const events = await stage.stripe.completeCheckout(sessionId);
    expect((await result(owner, sessionId)).data).toEqual({ state: "pending", product: "starter", credits: null });
    await deliverAll(stage, events);
    expect((await result(owner, sessionId)).data).toEqual({ state: "paid", product: "starter", credits: 500 });

    const plan = await checkout(stage, owner, "business-monthly");
    await deliverAll(stage, await stage.stripe.completeCheckout(plan));
    expect((await result(owner, plan)).data).toEqual({ state: "paid", product: "business-monthly", credits: 3500 });

    const stranger = await newOwner(stage);
    expect((await result(stranger, sessionId)).status).toBe(404);
  });
});

describe("self-service", () => {
  it("links to Stripe's customer portal and lists the invoices and receipts", async () => {
    const owner = await newOwner(stage);
    const empty = await trpcQuery<{ invoices: unknown[] }>(stage.app.url, "billing.invoices", { headers: bearer(owner.token) });
    expect(empty.data!.invoices).toEqual([]);
    await buyPackage(stage, owner);
    const portal = await trpcMutation<{ url: string }>(stage.app.url, "billing.portal", { headers: bearer(owner.token) });
    expect(portal.data!.url.startsWith(stage.stripe.url)).toBe(true);
    const portalKeys = stage.stripe.requests.filter((r) => r.path === "/v1/billing_portal/sessions").map((r) => String(r.headers["idempotency-key"]));
    expect(portalKeys.at(-1)).toMatch(new RegExp(`^bizbot-portal:${owner.tenant.id}:`));
    const invoices = await trpcQuery<{ invoices: Array<{ amountPaid: number; url: string | null }> }>(stage.app.url, "billing.invoices", {
      headers: bearer(owner.token),
    });
    expect(invoices.data!.invoices).toEqual([expect.objectContaining({ amountPaid: 2000, url: expect.any(String) })]);
  });
});

describe("auto top-up", () => {
  async function optIn(owner: TestAccount, threshold: number) {
    const res = await trpcMutation<{ enabled: boolean }>(stage.app.url, "billing.autoTopUp", {
      input: { enabled: true, threshold, product: "starter" },
      headers: bearer(owner.token),
    });
    expect(res.status, JSON.stringify(res.error)).toBe(200);
  }

  const topUpsOf = (tenantId: string) =>
    [...stage.stripe.paymentIntents.values()].filter((p) => p.metadata?.kind === "auto_top_up" && p.metadata.tenant_id === tenantId);

  it("needs a saved card", async () => {
    const owner = await newOwner(stage);
    const res = await trpcMutation(stage.app.url, "billing.autoTopUp", {
      input: { enabled: true, threshold: 100, product: "starter" },
      headers: bearer(owner.token),
    });
    expect(res.status).toBe(409);
  });

  it("buys once when concurrent spending crosses the threshold, and not again within the day", async () => {
    const owner = await newOwner(stage);
    const tenantId = owner.tenant.id;
    await buyPackage(stage, owner);
    await spend(stage.app, tenantId, (await balanceOf(stage.app, tenantId)) - 300);
    await optIn(owner, 200);
    expect(await topUp(deps(), tenantId)).toBe("not_due");
    // Twenty spends of 10 race with twenty top-up checks (as after each spend, on several instances) and a sweep.
    const spends = Array.from({ length: 20 }, () => spend(stage.app, tenantId, 10));
    const checks = Array.from({ length: 20 }, () => topUp(deps(), tenantId));
    await Promise.all([...spends, ...checks, runDueTopUps(deps())]);
    const afterRace = await Promise.all(Array.from({ length: 5 }, () => topUp(deps(), tenantId)));
    const outcomes = [...(await Promise.all(checks)), ...afterRace];
    expect(outcomes.filter((o) => o === "charged").length).toBeLessThanOrEqual(1);
    expect(topUpsOf(tenantId)).toHaveLength(1);
    // The server's own sweep may be the one that bought it, and still be adding the credits.
    await expect.poll(() => balanceOf(stage.app, tenantId)).toBe(100 + 500);
    // Its webhook, arriving after, adds nothing more.
    const succeeded = stage.stripe.events.filter(
      (e) => e.type === "payment_intent.succeeded" && (e.data.object as { id: string }).id === topUpsOf(tenantId)[0]!.id,
    );
    for (const event of succeeded) expect((await stage.stripe.deliver(event, { url: stage.webhookUrl })).status).toBe(200);
    expect(await balanceOf(stage.app, tenantId)).toBe(600);
    // Under the threshold again the same day: no second charge.
    await spend(stage.app, tenantId, 550);
    expect(await topUp(deps(), tenantId)).toBe("not_due");
    expect(topUpsOf(tenantId)).toHaveLength(1);
    await assertBooksBalance(stage.app, tenantId);
  });

  it("shows a declined card on the billing page and e-mails the owners, once a day, until a later top-up goes through", async () => {
    const owner = await newOwner(stage);
    const tenantId = owner.tenant.id;
    await buyPackage(stage, owner);
    const customer = (await stage.app.deps.db.selectFrom("billing_accounts").select("customer_id").where("tenant_id", "=", tenantId).executeTakeFirstOrThrow())
      .customer_id!;
    stage.stripe.setCardBehaviour(customer, "card_declined");
    const balance = await balanceOf(stage.app, tenantId);
    // Turned on already under the threshold: it tries at once, and says how that went.
    const res = await trpcMutation<{ enabled: boolean; error: string | null; failedAt: string | null }>(stage.app.url, "billing.autoTopUp", {
      input: { enabled: true, threshold: 1_000_000, product: "starter" },
      headers: bearer(owner.token),
    });
    expect(res.data).toMatchObject({ enabled: true, error: expect.stringMatching(/declined/i), failedAt: expect.any(String) });
    expect(await topUp(deps(), tenantId)).toBe("not_due");
    expect(await balanceOf(stage.app, tenantId)).toBe(balance);
    expect(await outboxTo(stage.app, owner.email, "billing.top_up_failed")).toHaveLength(1);

    // A day later, with the card fixed: bought, and the failure no longer shown.
    stage.stripe.setCardBehaviour(customer, null);
    await stage.app.deps.db
      .updateTable("billing_accounts")
      .set({ auto_top_up_attempted_at: new Date(Date.now() - 86_400_000 - 1000) })
      .where("tenant_id", "=", tenantId)
      .execute();
    expect(await topUp(deps(), tenantId)).toBe("charged");
    expect(await balanceOf(stage.app, tenantId)).toBe(balance + 500);
    const status = await trpcQuery<{ autoTopUp: { error: string | null } }>(stage.app.url, "billing.status", { headers: bearer(owner.token) });
    expect(status.data!.autoTopUp.error).toBeNull();
  });
});
