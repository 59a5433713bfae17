import type { Transaction } from "kysely";
import type Stripe from "stripe";
import { moveInTransaction } from "../credits/service.ts";
import type { DB } from "../db/schema.ts";
import { portalUrlOf, type Env } from "../env.ts";
import { audit, idOf, type Moved, system } from "./effects.ts";
import { disputeEmail, tellOwners } from "./emails.ts";
import { lockPaymentByIntent, updatePayment } from "./repository.ts";

// Refunds and disputes take back a payment's credits. Each runs under the payment's row lock, which applyEvent took
// when it found the payment (tenantOf), so that events about one payment apply one after another.

type Deps = { env: Pick<Env, "PORTAL_URL" | "PUBLIC_URL"> };

/**
 * A refund takes back the refunded share of the payment's credits. The charge says how much has been refunded in
 * all, so the credits to take are what that share comes to less what was taken already: each refund counts once,
 * and an older event arriving late takes nothing. Credits an open dispute already took count as refunded, so that
 * winning the dispute later gives back only what was not refunded.
 */
export async function takeBackRefund(trx: Transaction<DB>, tenantId: string, charge: Stripe.Charge, moved: Moved): Promise<void> {
  const payment = (await lockPaymentByIntent(trx, idOf(charge.payment_intent)!))!;
  // Numbers from the payload, guarded: a malformed (if signed) event takes nothing rather than failing for ever.
  const [amount, refunded] = [Number(charge.amount) || 0, Number(charge.amount_refunded) || 0];
  const share = amount > 0 ? Math.min(1, Math.max(0, refunded / amount)) : 0;
  const due = Math.round(payment.credits * share);
  const wanted = due - payment.refunded_credits;
  if (wanted <= 0) return;
  const take = Math.min(wanted, payment.credits - payment.refunded_credits - payment.disputed_credits);
  const fromDispute = Math.min(wanted - take, payment.disputed_credits);
  if (take > 0) {
    await moveInTransaction(trx, { tenantId, idempotencyKey: `stripe-refund:${payment.key}:${due}`, actor: system }, "clawback", take, charge.id);
    moved.clawedBack += take;
  }
  await updatePayment(trx, payment.key, {
    refunded_credits: payment.refunded_credits + take + fromDispute,
    disputed_credits: payment.disputed_credits - fromDispute,
  });
  await audit(trx, tenantId, "billing.refund", charge.id, { credits: take, payment: payment.reference });
}

/** An inquiry (status warning_…) asks questions; no money leaves the account, so no credits are taken for it. */
const isInquiry = (dispute: Stripe.Dispute) => String(dispute.status ?? "").startsWith("warning_");

/** Takes back what the payment still holds for a dispute, once, and tells the owners. */
async function takeForDispute(trx: Transaction<DB>, deps: Deps, tenantId: string, dispute: Stripe.Dispute, moved: Moved, closed: boolean) {
  const payment = (await lockPaymentByIntent(trx, idOf(dispute.payment_intent)!))!;
  const take = payment.credits - payment.refunded_credits - payment.disputed_credits;
  await updatePayment(trx, payment.key, { disputed_credits: payment.disputed_credits + Math.max(take, 0), dispute_id: dispute.id, dispute_closed: closed });
  if (take <= 0) return;
  const movement = await moveInTransaction(trx, { tenantId, idempotencyKey: `stripe-dispute:${dispute.id}`, actor: system }, "clawback", take, dispute.id);
  moved.clawedBack += take;
  await audit(trx, tenantId, "billing.dispute_opened", dispute.id, { credits: take, payment: payment.reference });
  await tellOwners(trx, tenantId, disputeEmail({ credits: take, reference: payment.reference, balance: movement.balance, portalUrl: portalUrlOf(deps.env) }));
}

/** A dispute opened takes the credits back, once; an inquiry, or a dispute already closed (events out of order), takes nothing. */
export async function takeBackDispute(trx: Transaction<DB>, deps: Deps, tenantId: string, dispute: Stripe.Dispute, moved: Moved): Promise<void> {
  const payment = (await lockPaymentByIntent(trx, idOf(dispute.payment_intent)!))!;
  if (payment.dispute_id === dispute.id) return;
  if (isInquiry(dispute)) return audit(trx, tenantId, "billing.dispute_inquiry", dispute.id, { payment: payment.reference });
  await takeForDispute(trx, deps, tenantId, dispute, moved, false);
}

/**
 * A dispute closed. Won (or an inquiry closed): what it took comes back, once. Lost: what it took stays taken, and
 * if its opening never reached us (events out of order, an inquiry that escalated) it is taken now. Either way the
 * dispute is marked closed, so that its opening arriving late takes nothing.
 */
export async function closeDispute(trx: Transaction<DB>, deps: Deps, tenantId: string, dispute: Stripe.Dispute, moved: Moved): Promise<void> {
  const payment = (await lockPaymentByIntent(trx, idOf(dispute.payment_intent)!))!;
  const ours = payment.dispute_id === dispute.id;
  if (ours && payment.dispute_closed) return;
  const won = dispute.status === "won" || dispute.status === "warning_closed";
  // Only these two outcomes close a dispute; anything else is not one we can act on.
  if (!won && dispute.status !== "lost") return;
  if (!won) {
    if (!ours) return takeForDispute(trx, deps, tenantId, dispute, moved, true);
    await updatePayment(trx, payment.key, { dispute_closed: true });
    return audit(trx, tenantId, "billing.dispute_lost", dispute.id, { credits: payment.disputed_credits });
  }
  const restore = ours ? payment.disputed_credits : 0;
  await updatePayment(trx, payment.key, { disputed_credits: payment.disputed_credits - restore, dispute_id: dispute.id, dispute_closed: true });
  if (restore === 0) return;
  await moveInTransaction(trx, { tenantId, idempotencyKey: `stripe-dispute-won:${dispute.id}`, actor: system }, "grant", restore, `dispute won: ${dispute.id}`);
  moved.granted += restore;
  await audit(trx, tenantId, "billing.dispute_won", dispute.id, { credits: restore });
}
