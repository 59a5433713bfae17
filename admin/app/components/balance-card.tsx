import { Link } from "react-router";
import { formatNumber } from "./format.ts";

interface BalanceSummary {
  balance: number;
  held: number;
  available: number;
  averageDailySpend: number;
  daysLeft: number | null;
  low: boolean;
}

/** "about 4.5 days" under ten, whole days above: a tenth of a day matters only when few are left. */
const daysText = (days: number) => `${formatNumber(days >= 10 ? Math.floor(days) : days)} ${days === 1 ? "day" : "days"}`;

/** Why the balance needs attention, in the words that fit the case; null when it does not. */
function warningOf({ balance, available, daysLeft, low }: BalanceSummary): string | null {
  if (balance < 0) return "Spending is stopped: a refunded or disputed payment took your balance below zero. Add credits to start again.";
  if (balance === 0) return "You have no credits. Visitors can still use their free trial runs; agent runs and support bot replies need credits.";
  if (!low) return null;
  const pace = daysLeft !== null ? `, about ${daysText(daysLeft)} at your recent pace` : "";
  return `Your balance is low: ${formatNumber(Math.max(available, 0))} credits left${pace}. Add credits so agents and the support bot keep working.`;
}

/** The credits left, what is reserved, how long they last, and a warning with the way to billing when they run low. */
export function BalanceCard({ balance, days }: { balance: BalanceSummary; days: number }) {
  const warning = warningOf(balance);
  return (
    <section aria-labelledby="balance" className="card space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h2 id="balance" className="muted text-sm font-medium">
            Available credits
          </h2>
          <p className="mt-1 text-3xl font-bold tracking-tight tabular-nums">{formatNumber(balance.available)}</p>
          <p className="muted mt-1 max-w-2xl text-sm">
            {balance.held > 0 && `Balance ${formatNumber(balance.balance)}, of which ${formatNumber(balance.held)} held for runs in progress. `}
            {balance.daysLeft !== null
              ? `At ${formatNumber(Math.round(balance.averageDailySpend * 10) / 10)} credits a day (your average over the last ${days} days), that lasts about ${daysText(balance.daysLeft)}.`
              : "Credits pay for agent runs and support bot replies; a run that fails costs nothing."}
          </p>
        </div>
        <Link to="/billing" className="btn-secondary">
          Billing and credits
        </Link>
      </div>
      {warning && (
        <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          {warning}{" "}
          <Link to="/billing" className="font-semibold underline">
            See credit packages
          </Link>
        </p>
      )}
    </section>
  );
}
