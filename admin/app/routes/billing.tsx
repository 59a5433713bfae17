import { isRouteErrorResponse, Link, useNavigation } from "react-router";
import { formatNumber, formatDateTime, formatUsd } from "../components/format.ts";
import { Badge, EmptyState, PageHeader, Section } from "../components/page.tsx";
import { CreditPackages } from "../components/pricing.tsx";
import { Stat } from "../components/stat.tsx";
import { TableScroll } from "../components/table-scroll.tsx";
import { publicCatalogue } from "../lib/catalogue.server.ts";
import { attempt } from "../lib/platform.server.ts";
import { viewerContext, viewerPlatform } from "../lib/viewer.server.ts";
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

type Kind = "grant" | "purchase" | "debit" | "settle" | "refund" | "clawback";

interface Entry {
  kind: Kind;
  reference: string | null;
  idempotencyKey: string;
  actor: { type: string };
}

/**
 * What a ledger entry was, in words. The platform's own charges carry keys like `run-settle:run_…` and
 * `chat-settle:msg_…` (credits/service.ts creditCall), which say whether an agent run or a support bot reply paid.
 */
function describe({ kind, reference, idempotencyKey, actor }: Entry): string {
  const scope = idempotencyKey.split("-", 1)[0];
  switch (kind) {
    case "grant":
      return `${actor.type === "operator" ? "Credits added by the BizBot team" : "Credits added"}${reference ? `: ${reference}` : ""}`;
    case "purchase":
      return "Credits bought";
    case "debit":
      if (reference?.startsWith("cache-hit:")) return "Agent run, answered from a saved result";
      return scope === "chat" ? "Support bot reply" : "Charge";
    case "settle":
      return scope === "run" ? "Agent run" : scope === "chat" ? "Support bot reply" : "Charge";
    case "refund":
      return "Refund of a charge";
    case "clawback":
      return "Taken back: a payment was refunded or disputed";
  }
}

/** The reference worth showing: a grant's is its reason (already in the description), a cached run's names the run. */
function referenceOf({ kind, reference }: Entry): string | null {
  if (kind === "grant") return null;
  if (kind === "refund" && reference) return `entry #${reference}`;
  return reference?.replace(/^cache-hit:/, "") ?? null;
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const asked = new URL(request.url).searchParams.get("cursor");
  // Anything but a cursor the platform gave (a hand-edited URL) shows the newest entries rather than an error.
  const cursor = asked && /^\d{1,19}$/.test(asked) ? asked : undefined;
  const client = viewerPlatform(context, request);
  const [balance, ledger] = await required(() => Promise.all([client.credits.balance.query(), client.credits.ledger.query({ cursor, limit: PAGE_SIZE })]));
  const { packages, creditPriceUsd } = publicCatalogue();
  return {
    balance,
    entries: ledger.entries.map((e) => ({
      id: e.id,
      createdAt: e.createdAt,
      kind: e.kind,
      delta: e.delta,
      balanceAfter: e.balanceAfter,
      description: describe(e),
      reference: referenceOf(e),
      // The platform's own keys end with the reference (`run-settle:run_…`): shown only when they say something more.
      idempotencyKey: e.reference && e.idempotencyKey.endsWith(`:${e.reference}`) ? null : e.idempotencyKey,
    })),
    nextCursor: ledger.nextCursor,
    olderPage: cursor !== undefined,
    packages,
    creditPriceUsd,
    workspaceId: context.get(viewerContext).tenant.id,
  };
}

const kinds: Record<Kind, { label: string; tone: "gray" | "green" | "red" | "indigo" }> = {
  grant: { label: "Grant", tone: "indigo" },
  purchase: { label: "Purchase", tone: "green" },
  debit: { label: "Charge", tone: "gray" },
  settle: { label: "Charge", tone: "gray" },
  refund: { label: "Refund", tone: "green" },
  clawback: { label: "Clawback", tone: "red" },
};

export default function Billing({ loaderData }: Route.ComponentProps) {
  const { balance, entries, nextCursor, olderPage, packages, creditPriceUsd, workspaceId } = loaderData;
  // Another page of the history on its way: the entries on screen are about to change, so they say so.
  const navigation = useNavigation();
  const refreshing = navigation.state === "loading" && navigation.location.pathname === "/billing";
  return (
    <div className={`space-y-6 transition-opacity ${refreshing ? "opacity-60" : ""}`} aria-busy={refreshing}>
      <PageHeader
        title="Billing"
        description={`Credits pay for agent runs and support bot replies, at ${formatUsd(creditPriceUsd)} each. A run that fails costs nothing.`}
      />

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

      <Section title="Buy credits" description="Larger packages come with bonus credits.">
        <div className="rounded-md border border-indigo-200 bg-indigo-50 px-4 py-3 text-sm text-indigo-950 dark:border-indigo-800 dark:bg-indigo-950 dark:text-indigo-100">
          <p className="font-semibold">Online payment is coming soon.</p>
          <p className="mt-1">
            Until then, the BizBot team adds credits for you: tell them the package you want and your workspace ID,{" "}
            <code className="rounded bg-white px-1 py-0.5 font-mono text-xs break-all dark:bg-gray-900">{workspaceId}</code>. They appear here as a grant.
          </p>
        </div>
        <CreditPackages packages={packages} action={null} />
        <p className="text-sm">
          <Link to="/pricing" className="link">
            What each agent run costs
          </Link>
        </p>
      </Section>

      <Section
        title="Credit history"
        id="ledger"
        description="Every credit added and spent, newest first. Credits held for a run in progress show here once the run is charged, or not at all if it fails."
      >
        {entries.length === 0 ? (
          <EmptyState>{olderPage ? "No older entries." : "No credits added or spent yet. Grants, purchases and charges will be listed here."}</EmptyState>
        ) : (
          <TableScroll label="Credit history table">
            <table className="data-table min-w-[46rem]">
              <caption className="sr-only">Credit history{olderPage ? ", older entries" : ", newest first"}</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Entry</th>
                  <th scope="col" className="text-right">
                    Credits
                  </th>
                  <th scope="col" className="text-right">
                    Balance after
                  </th>
                  <th scope="col">Reference</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id}>
                    <td className="whitespace-nowrap">{formatDateTime(e.createdAt)}</td>
                    <td className="min-w-48">
                      <Badge tone={kinds[e.kind].tone}>{kinds[e.kind].label}</Badge> <span className="ml-1">{e.description}</span>
                    </td>
                    <td
                      className={`text-right font-semibold whitespace-nowrap tabular-nums ${e.delta > 0 ? "text-emerald-800 dark:text-emerald-300" : e.kind === "clawback" ? "text-red-800 dark:text-red-300" : ""}`}
                    >
                      {`${e.delta > 0 ? "+" : ""}${formatNumber(e.delta)}`}
                    </td>
                    <td className="text-right tabular-nums">{formatNumber(e.balanceAfter)}</td>
                    <td className="max-w-72 text-xs">
                      {e.reference && <span className="block font-mono break-all">{e.reference}</span>}
                      {e.idempotencyKey && (
                        <span className="muted block font-mono break-all">
                          <span className="sr-only">Idempotency key: </span>
                          {e.idempotencyKey}
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        {(olderPage || nextCursor) && (
          <nav aria-label="Credit history pages" className="flex flex-wrap gap-3 text-sm">
            {olderPage && (
              <Link to="/billing#ledger" className="btn-secondary">
                Newest entries
              </Link>
            )}
            {nextCursor && (
              <Link to={`/billing?cursor=${nextCursor}#ledger`} className="btn-secondary ml-auto">
                Older entries
              </Link>
            )}
          </nav>
        )}
      </Section>
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
