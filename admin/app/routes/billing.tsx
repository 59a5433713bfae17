import { isRouteErrorResponse, Link, redirect, useNavigation } from "react-router";
import { billingProduct, billingProducts, type PackageId } from "@bizbot/shared";
import { AutoTopUp } from "../components/billing-auto-top-up.tsx";
import { BuyCredits, type CheckoutState, CheckoutNotice, MonthlyPlan } from "../components/billing-purchase.tsx";
import { CreditHistory, Invoices, Payments } from "../components/billing-records.tsx";
import { formatNumber, formatUsd } from "../components/format.ts";
import { PageHeader } from "../components/page.tsx";
import type { Refusal } from "../components/problem-summary.ts";
import { Stat } from "../components/stat.tsx";
import { publicCatalogue } from "../lib/catalogue.server.ts";
import { refused, text } from "../lib/forms.server.ts";
import { attempt } from "../lib/platform.server.ts";
import { redirectWithToast } from "../lib/session.server.ts";
import { canManage, viewerContext, viewerPlatform } from "../lib/viewer.server.ts";
import type { Route } from "./+types/billing";

export function meta() {
  return [{ title: "Billing · BizBot" }];
}

const PAGE_SIZE = 25;

/** The page cannot show without these calls: a refusal becomes the error below, in the platform's words. */
async function required<T>(call: () => Promise<T>): Promise<T> {
  const result = await attempt(call);
  if (!result.ok) throw new Response(result.problem.message, { status: result.problem.status });
  return result.value;
}

/** "Starter package" or "Starter plan": a product as the page names it; an id it does not know, as it is. */
function productName(id: string): string {
  const product = billingProduct(id);
  if (!product) return id;
  return `${product.title} ${product.kind}`;
}

type Kind = "grant" | "purchase" | "debit" | "settle" | "refund" | "clawback";

interface Entry {
  kind: Kind;
  reference: string | null;
  idempotencyKey: string;
  actor: { type: string };
}

const DISPUTE_WON = "dispute won: ";

/**
 * What a ledger entry was, in words. The platform's own charges carry keys like `run-settle:run_…` and
 * `chat-settle:msg_…` (credits/service.ts creditCall), which say whether an agent run or a support bot reply paid.
 * Stripe's entries carry what paid or took back: a Checkout session (cs_…) for a package, an invoice (in_…) for a
 * plan's month, a payment intent (pi_…) for an auto top-up; a charge (ch_…) when refunded, a dispute (dp_…) when
 * disputed, and a won dispute gives its credits back as a grant.
 */
function describe({ kind, reference, idempotencyKey, actor }: Entry, productOf: (reference: string) => string | undefined): string {
  const scope = idempotencyKey.split("-", 1)[0];
  switch (kind) {
    case "grant":
      if (reference?.startsWith(DISPUTE_WON)) return "Given back: dispute won";
      return `${actor.type === "operator" ? "Credits added by the BizBot team" : "Credits added"}${reference ? `: ${reference}` : ""}`;
    case "purchase": {
      const product = reference ? productOf(reference) : undefined;
      const what = reference?.startsWith("in_") ? "Monthly plan credits" : reference?.startsWith("pi_") ? "Auto top-up" : "Credits bought";
      return product ? `${what} (${product})` : what;
    }
    case "debit":
      if (reference?.startsWith("cache-hit:")) return "Agent run, answered from a saved result";
      return scope === "chat" ? "Support bot reply" : "Charge";
    case "settle":
      return scope === "run" ? "Agent run" : scope === "chat" ? "Support bot reply" : "Charge";
    case "refund":
      return "Refund of a charge";
    case "clawback":
      if (reference?.startsWith("ch_")) return "Taken back: refund";
      if (reference?.startsWith("dp_")) return "Taken back: dispute";
      return "Taken back: a payment was refunded or disputed";
  }
}

/** The reference worth showing: a grant's is its reason (already in the description), a cached run's names the run. */
function referenceOf({ kind, reference }: Entry): string | null {
  if (kind === "grant") return reference?.startsWith(DISPUTE_WON) ? reference.slice(DISPUTE_WON.length) : null;
  if (kind === "refund" && reference) return `entry #${reference}`;
  return reference?.replace(/^cache-hit:/, "") ?? null;
}

/**
 * Back from Stripe Checkout: cancelled, paid and credited (the webhook came first), or paid and not credited yet, as
 * the platform has it (a package's payment is under its session, a plan's under its first invoice). A session id
 * the platform cannot vouch for (hand-edited, another workspace's) shows as still on its way.
 */
async function checkoutOf(
  params: URLSearchParams,
  ask: (sessionId: string) => Promise<{ state: "paid" | "pending"; product: string | null; credits: number | null }>,
) {
  const outcome = params.get("checkout");
  if (outcome === "cancelled") return { state: "cancelled" } satisfies CheckoutState;
  if (outcome !== "success") return null;
  const result = await attempt(() => ask(params.get("session_id") ?? ""));
  if (!result.ok || result.value.state !== "paid" || result.value.credits === null) return { state: "pending" } satisfies CheckoutState;
  return { state: "paid", credits: result.value.credits, productName: productName(result.value.product ?? "") } satisfies CheckoutState;
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const url = new URL(request.url);
  const asked = url.searchParams.get("cursor");
  // Anything but a cursor the platform gave (a hand-edited URL) shows the newest entries rather than an error.
  const cursor = asked && /^\d{1,19}$/.test(asked) ? asked : undefined;
  const { role, tenant } = context.get(viewerContext);
  const manage = canManage(role);
  const client = viewerPlatform(context, request);
  const [[balance, ledger, status], invoices, checkout] = await Promise.all([
    required(() => Promise.all([client.credits.balance.query(), client.credits.ledger.query({ cursor, limit: PAGE_SIZE }), client.billing.status.query()])),
    // Stripe's, and for owners and admins only: when Stripe cannot be asked, the page says so quietly and shows the rest.
    manage ? attempt(() => client.billing.invoices.query()) : null,
    checkoutOf(url.searchParams, (sessionId) => client.billing.checkoutResult.query({ sessionId })),
  ]);
  const products = new Map(status.payments.map((p) => [p.reference, productName(p.product)]));
  const { packages, creditPriceUsd } = publicCatalogue();
  const plans = billingProducts.filter((p) => p.kind === "plan").map((p) => ({ id: p.id, name: p.title, usd: p.usd, credits: p.credits }));
  const plan = status.plan && plans.find((p) => p.id === status.plan?.product);
  return {
    balance,
    entries: ledger.entries.map((e) => ({
      id: e.id,
      createdAt: e.createdAt,
      kind: e.kind,
      delta: e.delta,
      balanceAfter: e.balanceAfter,
      description: describe(e, (reference) => products.get(reference)),
      reference: referenceOf(e),
      // The platform's own keys end with the reference (`run-settle:run_…`) or record a Stripe event: shown only when they say something more.
      idempotencyKey: (e.reference && e.idempotencyKey.endsWith(`:${e.reference}`)) || /^stripe[:-]/.test(e.idempotencyKey) ? null : e.idempotencyKey,
    })),
    nextCursor: ledger.nextCursor,
    olderPage: cursor !== undefined,
    packages,
    creditPriceUsd,
    workspaceId: tenant.id,
    manage,
    configured: status.configured,
    plan:
      plan && status.plan
        ? { ...plan, status: status.plan.status, currentPeriodEnd: status.plan.currentPeriodEnd, cancelAtPeriodEnd: status.plan.cancelAtPeriodEnd }
        : null,
    plans,
    autoTopUp: status.autoTopUp,
    // The platform records the card when auto top-up is turned on; before that, any payment through Checkout saved one.
    cardReady: status.hasPaymentMethod || status.payments.length > 0,
    payments: status.payments.map((p) => ({ ...p, productName: productName(p.product) })),
    invoices:
      !status.configured || !invoices
        ? null
        : invoices.ok
          ? { ok: true as const, list: invoices.value.invoices }
          : { ok: false as const, message: invoices.problem.message },
    checkout,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const client = viewerPlatform(context, request);
  const form = await request.formData();
  const intent = text(form, "intent");
  switch (intent) {
    case "checkout": {
      const values = { intent, product: text(form, "product") };
      const started = await attempt(() => client.billing.checkout.mutate({ product: values.product }));
      if (!started.ok) return refused(started.problem, values);
      // Stripe's hosted page; it comes back to /billing?checkout=success&session_id=… or ?checkout=cancelled.
      return redirect(started.value.url);
    }
    case "portal": {
      const opened = await attempt(() => client.billing.portal.mutate());
      if (!opened.ok) return refused(opened.problem, { intent });
      return redirect(opened.value.url);
    }
    case "auto-top-up": {
      const values = { intent, enabled: text(form, "enabled"), threshold: text(form, "threshold"), product: text(form, "product") };
      const saved = await attempt(() =>
        client.billing.autoTopUp.mutate({
          enabled: values.enabled === "on",
          // Passed on as typed: the platform's refusal names the field.
          threshold: values.threshold === "" ? Number.NaN : Number(values.threshold),
          product: values.product as PackageId,
        }),
      );
      if (!saved.ok) return refused(saved.problem, values);
      const { enabled, threshold, product } = saved.value;
      return redirectWithToast("/billing", {
        kind: "success",
        message: enabled
          ? `Auto top-up is on: when available credits fall under ${formatNumber(threshold)}, the ${productName(product)} is bought with your saved card.`
          : "Auto top-up is off.",
      });
    }
    default:
      throw new Response("Unknown action", { status: 400 });
  }
}

export default function Billing({ loaderData, actionData }: Route.ComponentProps) {
  const { balance, creditPriceUsd, configured, manage, plan, payments } = loaderData;
  const failure: Refusal | null = actionData ?? null;
  const failed = (intent: string, plans?: boolean) =>
    failure?.values.intent === intent && (plans === undefined || failure.values.product?.endsWith("-monthly") === plans) ? failure : null;
  // Another page of the history on its way: the entries on screen are about to change, so they say so.
  const navigation = useNavigation();
  const refreshing = navigation.state === "loading" && navigation.location.pathname === "/billing";
  return (
    <div className={`space-y-6 transition-opacity ${refreshing ? "opacity-60" : ""}`} aria-busy={refreshing}>
      <PageHeader
        title="Billing"
        description={`Credits pay for agent runs and support bot replies, at ${formatUsd(creditPriceUsd)} each. A run that fails costs nothing.`}
      />
      {loaderData.checkout && <CheckoutNotice checkout={loaderData.checkout} />}

      <section aria-labelledby="credits">
        <h2 id="credits" className="sr-only">
          Credits
        </h2>
        <dl className="grid gap-4 sm:grid-cols-3">
          <Stat label="Available" value={formatNumber(balance.available)} hint="What new runs and replies can spend" />
          <Stat label="Held" value={formatNumber(balance.held)} hint="Set aside for runs in progress, until they finish" />
          <Stat label="Balance" value={formatNumber(balance.balance)} hint={`Worth ${formatUsd(Math.max(balance.balance, 0) * creditPriceUsd)}`} />
        </dl>
        {balance.balance < 0 && (
          <p className="mt-4 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
            Your balance is below zero because a payment was refunded or disputed. Spending is stopped until credits are added.
          </p>
        )}
      </section>

      <BuyCredits
        packages={loaderData.packages}
        configured={configured}
        manage={manage}
        workspaceId={loaderData.workspaceId}
        failure={failed("checkout", false)?.problem ?? null}
      />
      {(configured || plan) && (
        <MonthlyPlan
          plan={plan}
          plans={loaderData.plans}
          manage={manage && configured}
          failure={(failed("checkout", true) ?? failed("portal"))?.problem ?? null}
        />
      )}
      {(configured || loaderData.autoTopUp.enabled) && (
        <AutoTopUp
          setting={loaderData.autoTopUp}
          packages={loaderData.packages}
          manage={manage && configured}
          cardReady={loaderData.cardReady}
          failure={failed("auto-top-up")}
        />
      )}
      {(configured || payments.length > 0) && <Payments payments={payments} />}
      {loaderData.invoices && <Invoices invoices={loaderData.invoices} />}
      <CreditHistory entries={loaderData.entries} nextCursor={loaderData.nextCursor} olderPage={loaderData.olderPage} />
    </div>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" && error.data ? error.data : "Billing could not be loaded.";
  return (
    <div className="space-y-4">
      <PageHeader title="Billing" />
      <p role="alert" className="card text-sm">
        {detail}{" "}
        <Link to="/billing" className="link" reloadDocument>
          Try again
        </Link>
      </p>
    </div>
  );
}
