import { useEffect, useState } from "react";
import { Form, Link } from "react-router";
import type { PublicCatalogue } from "../lib/catalogue.server.ts";
import { FormError } from "./field.tsx";
import { formatDateTime, formatNumber, formatUsd } from "./format.ts";
import { Badge, Section } from "./page.tsx";
import { CreditPackages } from "./pricing.tsx";
import { SubmitButton } from "./submit-button.tsx";
import { usePolling } from "./use-polling.ts";

/** How long the page keeps looking for a paid checkout's credits before leaving it to a reload. */
const CONFIRM_WAIT_MS = 60_000;

export type CheckoutState = { state: "cancelled" } | { state: "paid"; credits: number; productName: string } | { state: "pending" };

/**
 * Coming back from Stripe Checkout. The credits arrive with Stripe's webhook, which may land a moment after the
 * browser: until then the notice says so, and with JavaScript the page looks again every few seconds for a minute.
 */
export function CheckoutNotice({ checkout }: { checkout: CheckoutState }) {
  const [waiting, setWaiting] = useState(true);
  useEffect(() => {
    const timer = setTimeout(() => setWaiting(false), CONFIRM_WAIT_MS);
    return () => clearTimeout(timer);
  }, []);
  usePolling(checkout.state === "pending" && waiting, 2500);
  const tone =
    checkout.state === "cancelled"
      ? "border-gray-300 bg-white text-gray-900 dark:border-gray-700 dark:bg-gray-900 dark:text-gray-100"
      : "border-emerald-300 bg-emerald-50 text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100";
  return (
    <div role="status" className={`rounded-md border px-4 py-3 text-sm ${tone}`}>
      {checkout.state === "cancelled" ? (
        <p>Checkout was cancelled: nothing was charged. You can buy whenever you are ready.</p>
      ) : checkout.state === "paid" ? (
        <p>
          <strong className="font-semibold">Payment received.</strong> {formatNumber(checkout.credits)} credits ({checkout.productName}) were added to your
          balance. A receipt is on its way by e-mail.
        </p>
      ) : (
        <p>
          <strong className="font-semibold">Payment received — credits appear as soon as Stripe confirms it.</strong> That usually takes a few seconds
          {waiting ? "; this page updates by itself." : ": reload the page to see them."}
        </p>
      )}
    </div>
  );
}

type CreditPackage = PublicCatalogue["packages"][number];

interface Failure {
  message: string;
}

/** One form per product: the action starts a Stripe Checkout and sends the browser there. */
function CheckoutButton({ product, label, name }: { product: string; label: string; name: string }) {
  return (
    <Form method="post" action="/billing" className="mt-auto">
      <input type="hidden" name="product" value={product} />
      <SubmitButton intent="checkout" match={{ product }} pending="Opening Stripe…" className="w-full">
        {label}
        <span className="sr-only"> {name}</span>
      </SubmitButton>
    </Form>
  );
}

export function BuyCredits({
  packages,
  configured,
  manage,
  workspaceId,
  failure,
}: {
  packages: CreditPackage[];
  configured: boolean;
  manage: boolean;
  workspaceId: string;
  failure: Failure | null;
}) {
  const buy = configured && manage;
  return (
    <Section
      title="Buy credits"
      description="Larger packages come with bonus credits. You pay on Stripe’s secure page and the credits are added as soon as it confirms the payment."
    >
      {!configured ? (
        <div className="rounded-md border border-indigo-200 bg-indigo-50 px-4 py-3 text-sm text-indigo-950 dark:border-indigo-800 dark:bg-indigo-950 dark:text-indigo-100">
          <p className="font-semibold">Online payment is not configured on this server.</p>
          <p className="mt-1">
            Until it is, the BizBot team adds credits for you: tell them the package you want and your workspace ID,{" "}
            <code className="rounded bg-white px-1 py-0.5 font-mono text-xs break-all dark:bg-gray-900">{workspaceId}</code>. They appear here as a grant.
          </p>
        </div>
      ) : (
        !manage && <p className="muted text-sm">Owners and admins buy credits, choose a plan and set up auto top-up; you can see all of it here.</p>
      )}
      <FormError message={failure?.message} />
      <CreditPackages packages={packages} action={buy ? (p) => <CheckoutButton product={p.id} label="Buy" name={`the ${p.title} package`} /> : null} />
      <p className="text-sm">
        <Link to="/pricing" className="link">
          What each agent run costs
        </Link>
      </p>
    </Section>
  );
}

export interface PlanOption {
  id: string;
  name: string;
  usd: number;
  credits: number;
}

export interface CurrentPlan extends PlanOption {
  status: string;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
}

const planStatus: Record<string, { label: string; tone: "green" | "indigo" | "amber" | "red" }> = {
  active: { label: "Active", tone: "green" },
  trialing: { label: "Trial", tone: "indigo" },
  incomplete: { label: "Awaiting payment", tone: "amber" },
  past_due: { label: "Payment overdue", tone: "red" },
  unpaid: { label: "Unpaid", tone: "red" },
};

/** The plan the workspace is on, with the way to Stripe's billing portal; or the plans to choose from. */
export function MonthlyPlan({ plan, plans, manage, failure }: { plan: CurrentPlan | null; plans: PlanOption[]; manage: boolean; failure: Failure | null }) {
  const status = plan ? (planStatus[plan.status] ?? { label: plan.status, tone: "amber" as const }) : null;
  return (
    <Section title="Monthly plan" description="The same credits every month, paid automatically. Change or cancel it at any time.">
      <FormError message={failure?.message} />
      {plan && status ? (
        <div className="flex flex-wrap items-start justify-between gap-4 rounded-md border border-gray-200 p-4 dark:border-gray-800">
          <div className="space-y-1">
            <h3 className="flex flex-wrap items-center gap-2 font-semibold">
              {plan.name} plan <Badge tone={status.tone}>{status.label}</Badge>
            </h3>
            <p className="text-sm">
              {formatNumber(plan.credits)} credits every month for {formatUsd(plan.usd)}.
            </p>
            {plan.currentPeriodEnd && (
              <p className="muted text-sm">
                {plan.cancelAtPeriodEnd
                  ? `Cancelled: it ends on ${formatDateTime(plan.currentPeriodEnd)}, with no further payment.`
                  : `Renews on ${formatDateTime(plan.currentPeriodEnd)}.`}
              </p>
            )}
            {status.tone === "red" && (
              <p className="text-sm font-medium text-red-800 dark:text-red-300">Stripe could not take the last payment: update your card in Manage billing.</p>
            )}
          </div>
          {manage && (
            <Form method="post" action="/billing">
              <SubmitButton intent="portal" variant="secondary" pending="Opening Stripe…">
                Manage billing
              </SubmitButton>
            </Form>
          )}
        </div>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {plans.map((p) => (
            <li key={p.id} className="card flex flex-col gap-3">
              <h3 className="font-semibold">{p.name}</h3>
              <p>
                <span className="text-3xl font-bold">{formatUsd(p.usd).replace(/\.00$/, "")}</span> <span className="muted text-sm">a month</span>
              </p>
              <p className="text-sm">
                <strong>{formatNumber(p.credits)} credits</strong> every month
              </p>
              {manage && <CheckoutButton product={p.id} label="Subscribe" name={`to the ${p.name} plan`} />}
            </li>
          ))}
        </ul>
      )}
      {plan && manage && <p className="muted text-xs">Stripe’s billing portal changes the plan, updates your card, cancels, and lists every invoice.</p>}
    </Section>
  );
}
