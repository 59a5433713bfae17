import { sql } from "kysely";
import { expect } from "vitest";
import type Stripe from "stripe";
import { bearer, signUpAccount, startStripeServer, trpcMutation, type StripeStandIn, type TestAccount } from "@bizbot/testing";
import { syncPrices } from "../src/billing/sync.ts";
import { debit, getBalance } from "../src/credits/service.ts";
import type { App } from "../src/main.ts";
import { startTestApp } from "./harness.ts";

export const PORTAL = "https://portal.example.test";

/** The platform with billing on, against the Stripe stand-in, its prices made by the same sync the operator runs. */
export interface BillingStage {
  app: App;
  stripe: StripeStandIn;
  webhookUrl: string;
  close(): Promise<void>;
}

export async function startBillingStage(): Promise<BillingStage> {
  const stripe = await startStripeServer();
  const app = await startTestApp({
    STRIPE_SECRET_KEY: stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    STRIPE_API_URL: stripe.url,
    PORTAL_URL: PORTAL,
  });
  await syncPrices(app.deps.stripe!);
  return {
    app,
    stripe,
    webhookUrl: `${app.url}/webhooks/stripe`,
    async close() {
      await app.close();
      await stripe.close();
    },
  };
}

export async function balanceOf(app: App, tenantId: string): Promise<number> {
  return (await getBalance(app.deps.db, tenantId)).balance;
}

/** The money invariant: the balance row is the sum of the ledger. */
export async function assertBooksBalance(app: App, tenantId: string): Promise<number> {
  const account = await app.deps.db.selectFrom("credit_accounts").select("balance").where("tenant_id", "=", tenantId).executeTakeFirstOrThrow();
  const ledger = await sql<{ total: string }>`select coalesce(sum(delta), 0)::text as total from credit_ledger where tenant_id = ${tenantId}`.execute(
    app.deps.db,
  );
  expect(Number(account.balance)).toBe(Number(ledger.rows[0]!.total));
  return Number(account.balance);
}

export async function newOwner(stage: BillingStage): Promise<TestAccount> {
  return signUpAccount(stage.app.url);
}

/** Starts a checkout as the owner would from the portal; the stand-in's session. */
export async function checkout(stage: BillingStage, owner: TestAccount, product: string): Promise<string> {
  const res = await trpcMutation<{ url: string; sessionId: string }>(stage.app.url, "billing.checkout", { input: { product }, headers: bearer(owner.token) });
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return res.data!.sessionId;
}

export function eventOf(events: Stripe.Event[], type: string): Stripe.Event {
  const event = events.find((e) => e.type === type);
  if (!event) throw new Error(`no ${type} among ${events.map((e) => e.type).join(", ")}`);
  return event;
}

/** Delivers each event as Stripe would, in order; every one must be acknowledged. */
export async function deliverAll(stage: BillingStage, events: Stripe.Event[]): Promise<void> {
  for (const event of events) {
    const res = await stage.stripe.deliver(event, { url: stage.webhookUrl });
    expect(res.status, `${event.type}: ${res.body}`).toBe(200);
  }
}

/** A package bought and its events delivered: the payment intent, for refunds and disputes. */
export async function buyPackage(stage: BillingStage, owner: TestAccount, product = "starter"): Promise<{ sessionId: string; paymentIntent: string }> {
  const sessionId = await checkout(stage, owner, product);
  await deliverAll(stage, await stage.stripe.completeCheckout(sessionId));
  const session = stage.stripe.checkoutSessions.get(sessionId)!;
  return { sessionId, paymentIntent: session.payment_intent as string };
}

export async function outboxTo(app: App, email: string, kind: string) {
  return app.deps.db
    .selectFrom("notification_outbox")
    .select(["payload", "created_at"])
    .where("target", "=", email.toLowerCase())
    .where("kind", "=", kind)
    .orderBy("created_at", "desc")
    .execute();
}

let spends = 0;

/** Spends credits as a run or a reply would (a debit under a fresh idempotency key). */
export function spend(app: App, tenantId: string, amount: number) {
  return debit(app.deps, { tenantId, idempotencyKey: `test-spend-${spends++}`, actor: { type: "system", id: null } }, amount, null);
}

/** The same event under another id, as Stripe sends for a second event about one object (or a replayed export). */
export const underAnotherId = (event: Stripe.Event): Stripe.Event => ({ ...event, id: `${event.id}_again` });
