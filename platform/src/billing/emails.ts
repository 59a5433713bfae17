import type { Transaction } from "kysely";
import type { DB } from "../db/schema.ts";
import { enqueueNotification } from "../notifications/outbox.ts";
import { ownerEmails } from "../notifications/recipients.ts";

export interface BillingEmail {
  kind: string;
  subject: string;
  text: string;
}

/** Tells the tenant's owners, in the transaction of what happened: the e-mail goes only if it is committed. */
export async function tellOwners(trx: Transaction<DB>, tenantId: string, email: BillingEmail): Promise<void> {
  for (const to of await ownerEmails(trx, tenantId)) {
    await enqueueNotification(trx, { tenantId, kind: email.kind, channel: "email", target: to, payload: { subject: email.subject, text: email.text } });
  }
}

const usd = (cents: number, currency: string) => new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(cents / 100);
const credits = (n: number) => `${n.toLocaleString("en-US")} credits`;

export function purchaseEmail(p: { name: string; credits: number; amount: number; currency: string; reference: string; balance: number; portalUrl: string }) {
  return {
    kind: "billing.purchase",
    subject: `Payment received: ${credits(p.credits)} added`,
    text: [
      `Thank you. We received ${usd(p.amount, p.currency)} for ${p.name}, and ${credits(p.credits)} were added to your workspace.`,
      `Your balance is now ${credits(p.balance)}.`,
      `Stripe reference: ${p.reference}. Invoices and receipts are on the billing page: ${p.portalUrl}/billing`,
    ].join("\n\n"),
  };
}

export function paymentFailedEmail(p: { reason: string; portalUrl: string }) {
  return {
    kind: "billing.payment_failed",
    subject: "A payment for BizBot credits did not go through",
    text: [
      `A payment for credits did not go through: ${p.reason}`,
      `No credits were added. You can try again from the billing page: ${p.portalUrl}/billing`,
    ].join("\n\n"),
  };
}

export function disputeEmail(p: { credits: number; reference: string; balance: number; portalUrl: string }) {
  return {
    kind: "billing.dispute",
    subject: "A payment was disputed: its credits were taken back",
    text: [
      `The card holder disputed a payment (Stripe reference ${p.reference}) with their bank.`,
      `As our terms say, the ${credits(p.credits)} it bought were taken back while the dispute is open. Your balance is now ${credits(p.balance)}.`,
      "If the dispute is decided in your favour, the credits come back. If the balance is below zero, spending stops until credits are added.",
      `Billing page: ${p.portalUrl}/billing`,
    ].join("\n\n"),
  };
}

export function topUpFailedEmail(p: { reason: string; portalUrl: string }) {
  return {
    kind: "billing.top_up_failed",
    subject: "Auto top-up failed",
    text: [
      `Your balance fell under its auto top-up threshold, but the payment failed: ${p.reason}`,
      "We will not try again for a day. To keep your agents and support bot running, update your card or buy credits on the billing page:",
      `${p.portalUrl}/billing`,
    ].join("\n\n"),
  };
}
