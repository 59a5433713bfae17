import { Link } from "react-router";
import { formatDateTime, formatNumber, formatUsd } from "./format.ts";
import { Badge, EmptyState, Section } from "./page.tsx";
import { TableScroll } from "./table-scroll.tsx";

/** An amount Stripe gives in cents: dollars as everywhere in the portal, another currency with its code. */
export function formatMoney(cents: number, currency: string): string {
  if (currency.toLowerCase() === "usd") return formatUsd(cents / 100);
  return `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;
}

export interface PaymentRow {
  reference: string;
  kind: string;
  productName: string;
  credits: number;
  amount: number;
  currency: string;
  refundedCredits: number;
  disputedCredits: number;
  createdAt: string;
}

/** What was paid through Stripe, and what of it was taken back by a refund or a dispute. */
export function Payments({ payments }: { payments: PaymentRow[] }) {
  return (
    <Section title="Payments" description="Your latest payments through Stripe and the credits each one added.">
      {payments.length === 0 ? (
        <EmptyState>No payments yet. Credit packages, plan renewals and auto top-ups will be listed here.</EmptyState>
      ) : (
        <TableScroll label="Payments table">
          <table className="data-table min-w-[44rem]">
            <caption className="sr-only">Payments, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Payment</th>
                <th scope="col" className="text-right">
                  Credits
                </th>
                <th scope="col" className="text-right">
                  Amount
                </th>
                <th scope="col">Taken back</th>
                <th scope="col">Reference</th>
              </tr>
            </thead>
            <tbody>
              {payments.map((p) => (
                <tr key={p.reference}>
                  <td className="whitespace-nowrap">{formatDateTime(p.createdAt)}</td>
                  <td className="min-w-40">
                    <span className="block">{p.productName}</span>
                    {p.kind === "auto_top_up" && <span className="muted block text-xs">Bought by auto top-up</span>}
                  </td>
                  <td className="text-right tabular-nums">{`+${formatNumber(p.credits)}`}</td>
                  <td className="text-right whitespace-nowrap tabular-nums">{formatMoney(p.amount, p.currency)}</td>
                  <td className="whitespace-nowrap">
                    {p.refundedCredits === 0 && p.disputedCredits === 0 && <span className="muted">—</span>}
                    {p.refundedCredits > 0 && <Badge tone="amber">{`${formatNumber(p.refundedCredits)} refunded`}</Badge>}{" "}
                    {p.disputedCredits > 0 && <Badge tone="red">{`${formatNumber(p.disputedCredits)} disputed`}</Badge>}
                  </td>
                  <td className="max-w-56 font-mono text-xs break-all">{p.reference}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Section>
  );
}

export interface InvoiceRow {
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

const invoiceTones: Record<string, "green" | "amber" | "red" | "gray"> = { paid: "green", open: "amber", uncollectible: "red", void: "gray", draft: "gray" };

/** Stripe's invoices and receipts, each with its hosted page and PDF; a quiet note when Stripe could not be asked. */
export function Invoices({ invoices }: { invoices: { ok: true; list: InvoiceRow[] } | { ok: false; message: string } }) {
  return (
    <Section title="Invoices and receipts" description="Each payment’s invoice from Stripe, to view online or download for your records.">
      {!invoices.ok ? (
        <p className="muted text-sm">Invoices could not be loaded from Stripe just now ({invoices.message}). The rest of this page is up to date.</p>
      ) : invoices.list.length === 0 ? (
        <EmptyState>No invoices yet: your first purchase makes one.</EmptyState>
      ) : (
        <TableScroll label="Invoices table">
          <table className="data-table min-w-[40rem]">
            <caption className="sr-only">Invoices, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Invoice</th>
                <th scope="col" className="text-right">
                  Paid
                </th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Links</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invoices.list.map((i) => {
                const name = i.number ?? i.id;
                return (
                  <tr key={i.id}>
                    <td className="whitespace-nowrap">{formatDateTime(i.createdAt)}</td>
                    <td className="min-w-48">
                      <span className="block font-mono text-xs">{name}</span>
                      <span className="block">{i.description}</span>
                    </td>
                    <td className="text-right whitespace-nowrap tabular-nums">{formatMoney(i.amountPaid, i.currency)}</td>
                    <td>{i.status && <Badge tone={invoiceTones[i.status] ?? "gray"}>{i.status[0]!.toUpperCase() + i.status.slice(1)}</Badge>}</td>
                    <td className="whitespace-nowrap">
                      {i.url && (
                        <a href={i.url} className="link" rel="noreferrer">
                          View<span className="sr-only"> invoice {name}</span>
                        </a>
                      )}
                      {i.url && i.pdf && " · "}
                      {i.pdf && (
                        <a href={i.pdf} className="link" rel="noreferrer">
                          PDF<span className="sr-only"> of invoice {name}</span>
                        </a>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Section>
  );
}

type Kind = "grant" | "purchase" | "debit" | "settle" | "refund" | "clawback";

export interface LedgerRow {
  id: string;
  createdAt: string;
  kind: Kind;
  delta: number;
  balanceAfter: number;
  description: string;
  reference: string | null;
  idempotencyKey: string | null;
}

const kinds: Record<Kind, { label: string; tone: "gray" | "green" | "red" | "indigo" }> = {
  grant: { label: "Grant", tone: "indigo" },
  purchase: { label: "Purchase", tone: "green" },
  debit: { label: "Charge", tone: "gray" },
  settle: { label: "Charge", tone: "gray" },
  refund: { label: "Refund", tone: "green" },
  clawback: { label: "Clawback", tone: "red" },
};

/** Every credit added and spent, a page at a time. */
export function CreditHistory({ entries, nextCursor, olderPage }: { entries: LedgerRow[]; nextCursor: string | null; olderPage: boolean }) {
  return (
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
  );
}
