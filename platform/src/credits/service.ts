import type { Kysely, Transaction } from "kysely";
import type { Counter } from "prom-client";
import type { CreditBalance } from "@bizbot/shared";
import type { DB, LedgerKind } from "../db/schema.ts";
import { conflict, DomainError, invalidInput, notFound } from "../errors.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { newId } from "../lib/ids.ts";
import {
  addCredits,
  clawbackCredits,
  debitCredits,
  findHold,
  findIdempotency,
  holdCredits,
  listLedger,
  lockAccountAndSumRefunds,
  readAccount,
  releaseHold,
  settleHold,
  type LedgerActor,
  type Stamp,
} from "./repository.ts";

export interface CreditMetrics {
  granted: Counter<"kind">;
  spent: Counter<"kind">;
  refused: Counter<"reason">;
}

export interface CreditDeps {
  db: Kysely<DB>;
  metrics: { credits: CreditMetrics };
}

export interface Movement extends CreditBalance {
  entryId: string;
}

export interface HoldResult extends CreditBalance {
  holdId: string;
  amount: number;
  expiresAt: string;
}

export interface SettleResult extends CreditBalance {
  holdId: string;
  charged: number;
  entryId: string | null;
}

export interface ReleaseResult extends CreditBalance {
  holdId: string;
  released: number;
}

export interface CreditCall {
  tenantId: string;
  idempotencyKey: string;
  actor: LedgerActor;
}

/** The system's credit operations for a piece of work: each step is idempotent under a key made of the work's id and the step. */
export function creditCall(tenantId: string, scope: string, id: string, step: "hold" | "settle" | "release" | "debit"): CreditCall {
  return { tenantId, idempotencyKey: `${scope}-${step}:${id}`, actor: { type: "system", id: null } };
}

const DEFAULT_HOLD_TTL_SECONDS = 15 * 60;
export const MAX_HOLD_TTL_SECONDS = 24 * 60 * 60;

function stampOf(call: CreditCall, operation: string, params: Record<string, unknown>): Stamp {
  return {
    tenantId: call.tenantId,
    key: call.idempotencyKey,
    operation,
    requestHash: sha256Hex(JSON.stringify([operation, params])),
    actor: call.actor,
  };
}

/** The stored answer for a key already used: the same request gets it back, another request is a conflict. */
async function replay<T>(db: Kysely<DB>, stamp: Stamp): Promise<T | null> {
  const previous = await findIdempotency(db, stamp.tenantId, stamp.key);
  if (!previous) return null;
  if (previous.request_hash !== stamp.requestHash) {
    throw conflict(`Idempotency key "${stamp.key}" was already used for a different ${previous.operation} request`);
  }
  return normalize<T>(previous.response);
}

/**
 * Runs one money statement under an idempotency key. The first call's answer is stored with its effect; a retry
 * (even concurrent) gets that answer back, and the same key with other parameters is a conflict. A refused call
 * stores nothing, so the key stays usable once the cause (say, the balance) is fixed. `fresh` is false for a replay.
 */
async function idempotent<T>(
  deps: CreditDeps,
  stamp: Stamp,
  run: (stamp: Stamp) => Promise<unknown | null>,
  refused: () => Promise<DomainError>,
): Promise<{ result: T; fresh: boolean }> {
  let response: unknown | null = null;
  try {
    response = await run(stamp);
  } catch (error) {
    if (!isIdempotencyClash(error)) throw error;
  }
  if (response !== null) return { result: normalize<T>(response), fresh: true };
  const replayed = await replay<T>(deps.db, stamp);
  if (replayed) return { result: replayed, fresh: false };
  throw await refused();
}

function isIdempotencyClash(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  return e?.code === "23505" && (e.constraint === "idempotency_keys_pkey" || /idempotency_keys_pkey/.test(e.message ?? ""));
}

/** jsonb numbers may come back as strings of bigints on some drivers; answers always carry plain numbers. */
function normalize<T>(response: unknown): T {
  const out: Record<string, unknown> = { ...(response as Record<string, unknown>) };
  for (const field of ["balance", "held", "available", "amount", "charged", "released"]) {
    if (out[field] !== undefined && out[field] !== null) out[field] = Number(out[field]);
  }
  if (typeof out.expiresAt === "string") out.expiresAt = new Date(out.expiresAt).toISOString();
  return out as T;
}

export async function getBalance(db: Kysely<DB>, tenantId: string): Promise<CreditBalance> {
  const row = await readAccount(db, tenantId);
  if (!row) throw notFound("Credit account");
  const balance = Number(row.balance);
  const held = Number(row.held);
  return { balance, held, available: balance - held };
}

async function insufficient(deps: CreditDeps, tenantId: string, needed: number): Promise<DomainError> {
  deps.metrics.credits.refused.inc({ reason: "insufficient" });
  const { available, balance } = await getBalance(deps.db, tenantId);
  const message =
    balance < 0
      ? `Spending is blocked: the balance is ${balance} credits after a clawback; buy credits to continue`
      : `Insufficient credits: this needs ${needed}, ${Math.max(available, 0)} available (short by ${needed - Math.max(available, 0)})`;
  return new DomainError("payment_required", message, { needed, available, shortfall: needed - Math.max(available, 0) });
}

/** Counts what a call moved, once: a replayed answer moved nothing. */
function counted<T>(counter: Counter<"kind">, kind: string, amount: number, outcome: { result: T; fresh: boolean }): T {
  if (outcome.fresh && amount > 0) counter.inc({ kind }, amount);
  return outcome.result;
}

export async function grant(deps: CreditDeps, call: CreditCall, amount: number, reason: string): Promise<Movement> {
  return counted(deps.metrics.credits.granted, "grant", amount, await credit(deps, call, "grant", amount, reason));
}

/** Credits bought (billing calls this with the payment's id as reference). */
export async function purchase(deps: CreditDeps, call: CreditCall, amount: number, reference: string): Promise<Movement> {
  return counted(deps.metrics.credits.granted, "purchase", amount, await credit(deps, call, "purchase", amount, reference));
}

function credit(deps: CreditDeps, call: CreditCall, kind: Extract<LedgerKind, "grant" | "purchase">, amount: number, reference: string) {
  return idempotent<Movement>(
    deps,
    stampOf(call, kind, { amount, reference }),
    (stamp) => addCredits(deps.db, stamp, kind, amount, reference),
    async () => notFound("Credit account"),
  );
}

/**
 * Moves credits inside the caller's transaction, for billing: the Stripe event, the payment and the movement commit
 * together. The caller's own records make each movement happen once, so its key is never replayed here; the
 * idempotency record is still written, keeping ledger keys unique as everywhere else. The caller counts the metrics
 * once the transaction commits.
 */
export async function moveInTransaction(
  trx: Transaction<DB>,
  call: CreditCall,
  kind: Extract<LedgerKind, "purchase" | "grant" | "clawback">,
  amount: number,
  reference: string,
): Promise<Movement> {
  const stamp = stampOf(call, kind, { amount, reference });
  const response = kind === "clawback" ? await clawbackCredits(trx, stamp, amount, reference) : await addCredits(trx, stamp, kind, amount, reference);
  if (response === null) throw notFound("Credit account");
  return normalize<Movement>(response);
}

export async function debit(deps: CreditDeps, call: CreditCall, amount: number, reference: string | null): Promise<Movement> {
  const outcome = await idempotent<Movement>(
    deps,
    stampOf(call, "debit", { amount, reference }),
    (stamp) => debitCredits(deps.db, stamp, amount, reference),
    () => insufficient(deps, call.tenantId, amount),
  );
  return counted(deps.metrics.credits.spent, "debit", amount, outcome);
}

export async function hold(
  deps: CreditDeps,
  call: CreditCall,
  amount: number,
  reference: string | null,
  ttlSeconds = DEFAULT_HOLD_TTL_SECONDS,
): Promise<HoldResult> {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_HOLD_TTL_SECONDS) {
    throw invalidInput(`A hold lasts from 1 second to ${MAX_HOLD_TTL_SECONDS} seconds`);
  }
  const outcome = await idempotent<HoldResult>(
    deps,
    stampOf(call, "hold", { amount, reference, ttlSeconds }),
    (stamp) => holdCredits(deps.db, stamp, newId("hold"), amount, reference, ttlSeconds),
    () => insufficient(deps, call.tenantId, amount),
  );
  return outcome.result;
}

export async function settle(deps: CreditDeps, call: CreditCall, holdId: string, actual: number): Promise<SettleResult> {
  if (!Number.isInteger(actual) || actual < 0) throw invalidInput("The settled amount is a whole number of credits, 0 or more");
  const outcome = await idempotent<SettleResult>(
    deps,
    stampOf(call, "settle", { holdId, actual }),
    (stamp) => settleHold(deps.db, stamp, holdId, actual),
    () => holdRefusal(deps, call.tenantId, holdId, actual),
  );
  return counted(deps.metrics.credits.spent, "settle", actual, outcome);
}

export async function release(deps: CreditDeps, call: CreditCall, holdId: string): Promise<ReleaseResult> {
  const outcome = await idempotent<ReleaseResult>(
    deps,
    stampOf(call, "release", { holdId }),
    (stamp) => releaseHold(deps.db, stamp, holdId),
    () => holdRefusal(deps, call.tenantId, holdId, 0),
  );
  return outcome.result;
}

async function holdRefusal(deps: CreditDeps, tenantId: string, holdId: string, actual: number): Promise<DomainError> {
  const row = await findHold(deps.db, tenantId, holdId);
  if (!row) return notFound("Hold");
  if (row.status !== "active") return conflict(`The hold is already ${row.status}`);
  if (row.expires_at.getTime() <= Date.now()) return conflict("The hold has expired; its credits were returned");
  return invalidInput(`Cannot settle ${actual} credits against a hold of ${Number(row.amount)}`);
}

/**
 * Gives back credits of a debit or a settled hold, never more than was taken. It runs under the account's row
 * lock, so concurrent refunds of one entry (or retries of one key) see each other.
 */
export async function refund(deps: CreditDeps, call: CreditCall, entryId: string, amount: number, reason: string): Promise<Movement> {
  const stamp = stampOf(call, "refund", { entryId, amount, reason });
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const { entry, refunded } = await lockAccountAndSumRefunds(trx, call.tenantId, entryId);
    const replayed = await replay<Movement>(trx as unknown as Kysely<DB>, stamp);
    if (replayed) return { result: replayed, fresh: false };
    if (!entry) throw notFound("Ledger entry");
    if (entry.kind !== "debit" && entry.kind !== "settle") throw invalidInput("Only debits and settled holds can be refunded");
    const taken = -Number(entry.delta);
    if (refunded + amount > taken) {
      throw invalidInput(`Refunds of entry ${entryId} cannot exceed the ${taken} credits it took; ${refunded} already refunded`);
    }
    return { result: normalize<Movement>(await addCredits(trx, stamp, "refund", amount, entryId)), fresh: true };
  });
  return counted(deps.metrics.credits.granted, "refund", amount, outcome);
}

export async function clawback(deps: CreditDeps, call: CreditCall, amount: number, reference: string): Promise<Movement> {
  const outcome = await idempotent<Movement>(
    deps,
    stampOf(call, "clawback", { amount, reference }),
    (stamp) => clawbackCredits(deps.db, stamp, amount, reference),
    async () => notFound("Credit account"),
  );
  return counted(deps.metrics.credits.spent, "clawback", amount, outcome);
}

export interface LedgerEntryView {
  id: string;
  delta: number;
  balanceAfter: number;
  kind: LedgerKind;
  reference: string | null;
  idempotencyKey: string;
  actor: { type: string; id: string | null };
  createdAt: string;
}

/** Newest first; pass the returned cursor to read further back. */
export async function ledgerPage(db: Kysely<DB>, tenantId: string, cursor: string | null, limit: number) {
  const rows = await listLedger(db, tenantId, cursor, limit + 1);
  const page = rows.slice(0, limit);
  const entries: LedgerEntryView[] = page.map((r) => ({
    id: String(r.id),
    delta: Number(r.delta),
    balanceAfter: Number(r.balance_after),
    kind: r.kind,
    reference: r.reference,
    idempotencyKey: r.idempotency_key,
    actor: { type: r.actor_type, id: r.actor_id },
    createdAt: r.created_at.toISOString(),
  }));
  return { entries, nextCursor: rows.length > limit ? String(page[page.length - 1]!.id) : null };
}
