import type { Kysely } from "kysely";
import type Stripe from "stripe";
import { billingProduct, packageIds } from "@bizbot/shared";
import { insertAudit, type Actor } from "../audit/repository.ts";
import { portalUrlOf, type Env } from "../env.ts";
import type { DB } from "../db/schema.ts";
import { conflict, DomainError, invalidInput, notFound } from "../errors.ts";
import { randomToken } from "../lib/crypto.ts";
import { ownerEmails } from "../notifications/recipients.ts";
import { findAccount, findPaymentByReference, listPayments, lockAccount, updateAccount } from "./repository.ts";
import { call, type StripeClient } from "./stripe.ts";

export interface BillingDeps {
  db: Kysely<DB>;
  stripe: StripeClient | null;
  /** Where Checkout and Stripe's customer portal send people back: the portal's billing page. */
  env: Pick<Env, "PORTAL_URL" | "PUBLIC_URL">;
}

const notConfigured = () =>
  new DomainError("unavailable", "Billing is not configured on this server (STRIPE_SECRET_KEY); the BizBot team can add credits meanwhile");

function stripeOf(deps: BillingDeps): StripeClient {
  if (!deps.stripe) throw notConfigured();
  return deps.stripe;
}

/** Plans in these states are live: a second one would charge twice, so a change goes through Stripe's portal. */
const LIVE_PLAN = new Set(["active", "trialing", "past_due", "unpaid", "incomplete"]);

/**
 * The tenant's one Stripe customer, made on first need. The billing row stays locked while Stripe is asked, so two
 * first purchases at once make one customer; the idempotency key covers a retry after a failure in between.
 */
async function ensureCustomer(deps: BillingDeps, tenantId: string): Promise<string> {
  const stripe = stripeOf(deps);
  const known = await findAccount(deps.db, tenantId);
  if (known?.customer_id) return known.customer_id;
  return deps.db.transaction().execute(async (trx) => {
    const account = await lockAccount(trx, tenantId);
    if (account.customer_id) return account.customer_id;
    const tenant = await trx.selectFrom("tenants").select("name").where("id", "=", tenantId).executeTakeFirstOrThrow();
    const [email] = await ownerEmails(trx, tenantId);
    const customer = await call(() =>
      stripe.api.customers.create(
        { name: tenant.name, ...(email ? { email } : {}), metadata: { tenant_id: tenantId } },
        { idempotencyKey: `bizbot-customer:${tenantId}` },
      ),
    );
    await trx.updateTable("billing_accounts").set({ customer_id: customer.id, updated_at: new Date() }).where("tenant_id", "=", tenantId).execute();
    return customer.id;
  });
}

/** A workspace with a live plan is not deleted: Stripe would go on charging its card every month for nothing. */
export async function refuseWhilePlanIsLive(db: Kysely<DB>, tenantId: string): Promise<void> {
  const account = await findAccount(db, tenantId);
  if (account?.plan && LIVE_PLAN.has(account.plan_status ?? "")) {
    throw conflict(`Cancel the ${account.plan} plan first, in Billing → "Manage billing": its card would go on being charged`);
  }
}

/**
 * Starts a Stripe Checkout for a package (mode payment) or a monthly plan (mode subscription). The tenant travels
 * in client_reference_id and in the metadata of the session, its payment and its subscription, so every event
 * that follows names it without another call. A package's card is kept for auto top-up.
 */
export async function startCheckout(
  deps: BillingDeps,
  actor: Actor,
  tenantId: string,
  input: { product: string; idempotencyKey?: string | undefined },
): Promise<{ url: string; sessionId: string }> {
  const stripe = stripeOf(deps);
  const product = billingProduct(input.product);
  if (!product) throw invalidInput(`Unknown product "${input.product}"`, { product: ["must be a credit package or a monthly plan"] });
  const [customer, price] = await Promise.all([ensureCustomer(deps, tenantId), stripe.priceId(product.lookupKey)]);
  if (product.kind === "plan") {
    // Asked of Stripe, not of our records: a plan bought a moment ago may not have reached us yet.
    const subscriptions = await call(() => stripe.api.subscriptions.list({ customer, limit: 10 }));
    if (subscriptions.data.some((s) => LIVE_PLAN.has(s.status))) {
      throw conflict('The workspace already has a monthly plan; change or cancel it through "Manage billing"');
    }
  }
  const metadata = { tenant_id: tenantId, product: product.id };
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: product.kind === "plan" ? "subscription" : "payment",
    customer,
    client_reference_id: tenantId,
    line_items: [{ price, quantity: 1 }],
    metadata,
    success_url: `${portalUrlOf(deps.env)}/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${portalUrlOf(deps.env)}/billing?checkout=cancelled`,
    ...(product.kind === "plan"
      ? { subscription_data: { metadata } }
      : { payment_intent_data: { metadata, setup_future_usage: "off_session" as const }, invoice_creation: { enabled: true } }),
  };
  const key = input.idempotencyKey ?? randomToken(16);
  const session = await call(() => stripe.api.checkout.sessions.create(params, { idempotencyKey: `bizbot-checkout:${tenantId}:${product.id}:${key}` }));
  if (!session.url) throw new DomainError("unavailable", "Stripe did not return a checkout page");
  await deps.db
    .transaction()
    .execute((trx) =>
      insertAudit(trx, actor, { tenantId, action: "billing.checkout_started", target: { type: "stripe", id: session.id }, metadata: { product: product.id } }),
    );
  return { url: session.url, sessionId: session.id };
}

export interface CheckoutResult {
  /** paid: its credits are in; pending: Stripe has not confirmed the payment to us yet (or it is a delayed method). */
  state: "paid" | "pending";
  product: string | null;
  credits: number | null;
}

/**
 * What became of a Checkout the tenant went to, for the page it returns to: its credits are in when the payment
 * it made is recorded, under the session (a package) or its first invoice (a plan).
 */
export async function checkoutResult(deps: BillingDeps, tenantId: string, sessionId: string): Promise<CheckoutResult> {
  const stripe = stripeOf(deps);
  const session = await call(() => stripe.api.checkout.sessions.retrieve(sessionId));
  if (session.client_reference_id !== tenantId) throw notFound("Checkout session");
  const invoice = typeof session.invoice === "string" ? session.invoice : (session.invoice?.id ?? null);
  const payment = await findPaymentByReference(deps.db, tenantId, invoice ? [session.id, invoice] : [session.id]);
  return { state: payment ? "paid" : "pending", product: session.metadata?.product ?? null, credits: payment?.credits ?? null };
}

/** A link to Stripe's customer portal: cards, plan changes and cancellation, invoices. */
export async function portalSession(deps: BillingDeps, tenantId: string): Promise<{ url: string }> {
  const stripe = stripeOf(deps);
  const customer = await ensureCustomer(deps, tenantId);
  const session = await call(() =>
    stripe.api.billingPortal.sessions.create(
      { customer, return_url: `${portalUrlOf(deps.env)}/billing` },
      { idempotencyKey: `bizbot-portal:${tenantId}:${randomToken(16)}` },
    ),
  );
  return { url: session.url };
}

export interface InvoiceView {
  id: string;
  number: string | null;
  createdAt: string;
  amountPaid: number;
  currency: string;
  status: string | null;
  description: string;
  url: string | null;
  pdf: string | null;
}

/** Invoices and receipts, newest first, as Stripe has them; none before the first purchase. */
export async function listInvoices(deps: BillingDeps, tenantId: string): Promise<{ invoices: InvoiceView[] }> {
  const stripe = stripeOf(deps);
  const account = await findAccount(deps.db, tenantId);
  if (!account?.customer_id) return { invoices: [] };
  const list = await call(() => stripe.api.invoices.list({ customer: account.customer_id!, limit: 24 }));
  return {
    invoices: list.data.map((i) => ({
      id: i.id ?? "",
      number: i.number,
      createdAt: new Date(i.created * 1000).toISOString(),
      amountPaid: i.amount_paid,
      currency: i.currency,
      status: i.status,
      description: i.lines?.data[0]?.description ?? (i.parent?.subscription_details ? "Monthly plan" : "Credit package"),
      url: i.hosted_invoice_url ?? null,
      pdf: i.invoice_pdf ?? null,
    })),
  };
}

export interface BillingStatus {
  configured: boolean;
  plan: { product: string; status: string; currentPeriodEnd: string | null; cancelAtPeriodEnd: boolean } | null;
  autoTopUp: { enabled: boolean; threshold: number; product: string; attemptedAt: string | null; error: string | null; failedAt: string | null };
  hasPaymentMethod: boolean;
  payments: Array<{
    reference: string;
    kind: string;
    product: string;
    credits: number;
    amount: number;
    currency: string;
    refundedCredits: number;
    disputedCredits: number;
    createdAt: string;
  }>;
}

/** What the billing page shows, from our own records (no call to Stripe). */
export async function billingStatus(deps: BillingDeps, tenantId: string): Promise<BillingStatus> {
  const [account, payments] = await Promise.all([findAccount(deps.db, tenantId), listPayments(deps.db, tenantId, 20)]);
  return {
    configured: deps.stripe !== null,
    plan:
      account?.plan && account.plan_status
        ? {
            product: account.plan,
            status: account.plan_status,
            currentPeriodEnd: account.plan_period_end?.toISOString() ?? null,
            cancelAtPeriodEnd: account.plan_cancel_at_period_end,
          }
        : null,
    autoTopUp: {
      enabled: account?.auto_top_up ?? false,
      threshold: account?.auto_top_up_threshold ?? 100,
      product: account?.auto_top_up_product ?? "starter",
      attemptedAt: account?.auto_top_up_attempted_at?.toISOString() ?? null,
      error: account?.auto_top_up_error ?? null,
      failedAt: account?.auto_top_up_failed_at?.toISOString() ?? null,
    },
    hasPaymentMethod: Boolean(account?.payment_method_id),
    payments: payments.map((p) => ({
      reference: p.reference,
      kind: p.kind,
      product: p.product,
      credits: p.credits,
      amount: p.amount,
      currency: p.currency,
      refundedCredits: p.refunded_credits,
      disputedCredits: p.disputed_credits,
      createdAt: p.created_at.toISOString(),
    })),
  };
}

/**
 * Turns auto top-up on or off. Turning it on needs a card Stripe keeps for the customer (any package bought here
 * saves one): it is looked up now, so that a missing card is said at once rather than on the day it is needed.
 */
export async function setAutoTopUp(
  deps: BillingDeps,
  actor: Actor,
  tenantId: string,
  input: { enabled: boolean; threshold: number; product: string },
): Promise<void> {
  if (!(packageIds as string[]).includes(input.product)) throw invalidInput("Auto top-up buys a credit package", { product: ["must be a credit package"] });
  let paymentMethod: string | null = null;
  if (input.enabled) {
    const stripe = stripeOf(deps);
    const account = await findAccount(deps.db, tenantId);
    // Cards only: a bank debit settles days later, by when a second top-up would have been bought.
    const methods = account?.customer_id ? await call(() => stripe.api.customers.listPaymentMethods(account.customer_id!, { type: "card", limit: 1 })) : null;
    paymentMethod = methods?.data[0]?.id ?? null;
    if (!paymentMethod) throw conflict("Auto top-up needs a saved card: buy a credit package once by card, and Stripe keeps the card for it");
  }
  await deps.db.transaction().execute(async (trx) => {
    await updateAccount(trx, tenantId, {
      auto_top_up: input.enabled,
      auto_top_up_threshold: input.threshold,
      auto_top_up_product: input.product,
      ...(paymentMethod ? { payment_method_id: paymentMethod } : {}),
      // A new setting starts clean: a failure shown was about the old one.
      auto_top_up_error: null,
      auto_top_up_failed_at: null,
    });
    await insertAudit(trx, actor, { tenantId, action: "billing.auto_top_up_changed", metadata: input });
  });
}
