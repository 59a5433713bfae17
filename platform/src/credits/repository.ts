import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import type { DB, LedgerKind } from "../db/schema.ts";

type Db = Kysely<DB> | Transaction<DB>;

/** Who moved the money, as written on the ledger. */
export interface LedgerActor {
  type: "user" | "api_key" | "operator" | "system";
  id: string | null;
}

/** The parts every money statement shares: the tenant, the idempotency record and the actor. */
export interface Stamp {
  tenantId: string;
  key: string;
  operation: string;
  requestHash: string;
  actor: LedgerActor;
}

// Each operation is ONE statement: the conditional account update, the ledger entry, the stored answer and the
// idempotency record commit together or not at all, and the account row is locked only while it runs. A second
// use of the same key fails on the idempotency primary key and the whole statement rolls back.

function balanceJson(acct: string) {
  return sql.raw(`'balance', ${acct}.balance, 'held', ${acct}.held, 'available', ${acct}.balance - ${acct}.held`);
}

/** The ledger entry for an `acct` CTE's new balance, and the answer: the tail of every balance-moving statement. */
function entryAndResult(stamp: Stamp, delta: number, kind: LedgerKind, reference: string | null) {
  return sql`entry as (
      insert into credit_ledger (tenant_id, delta, balance_after, kind, reference, idempotency_key, actor_type, actor_id)
      select ${stamp.tenantId}, ${delta}, balance, ${kind}, ${reference}, ${stamp.key}, ${stamp.actor.type}, ${stamp.actor.id} from acct
      returning id
    ), result as (
      select jsonb_build_object('entryId', entry.id::text, ${balanceJson("acct")}) as response from acct, entry
    )`;
}

async function runStatement(db: Db, stamp: Stamp, body: RawBuilder<unknown>): Promise<unknown | null> {
  const result = await sql<{ response: unknown }>`
    with ${body},
    idem as (
      insert into idempotency_keys (tenant_id, key, operation, request_hash, response)
      select ${stamp.tenantId}, ${stamp.key}, ${stamp.operation}, ${stamp.requestHash}, response from result
    )
    select response from result`.execute(db);
  return result.rows[0]?.response ?? null;
}

/** Adds credits (grant, purchase, refund). A top-up that clears a debt lifts the clawback floor back to zero. */
export function addCredits(db: Db, stamp: Stamp, kind: Extract<LedgerKind, "grant" | "purchase" | "refund">, amount: number, reference: string | null) {
  return runStatement(
    db,
    stamp,
    sql`acct as (
      update credit_accounts
      set balance = balance + ${amount}, floor = case when balance + ${amount} - held >= 0 then 0 else floor end, updated_at = now()
      where tenant_id = ${stamp.tenantId}
      returning balance, held
    ), ${entryAndResult(stamp, amount, kind, reference)}`,
  );
}

/** Takes credits if that many are available (balance less holds); nothing otherwise. */
export function debitCredits(db: Db, stamp: Stamp, amount: number, reference: string | null) {
  return runStatement(
    db,
    stamp,
    sql`acct as (
      update credit_accounts set balance = balance - ${amount}, updated_at = now()
      where tenant_id = ${stamp.tenantId} and balance - held >= ${amount}
      returning balance, held
    ), ${entryAndResult(stamp, -amount, "debit", reference)}`,
  );
}

/**
 * Takes credits back whatever the balance (a refunded or disputed payment): the only way below zero. The floor
 * moves down with it, leaving room for the holds already granted to settle.
 */
export function clawbackCredits(db: Db, stamp: Stamp, amount: number, reference: string | null) {
  return runStatement(
    db,
    stamp,
    sql`acct as (
      update credit_accounts
      set balance = balance - ${amount}, floor = least(floor, balance - ${amount} - held), updated_at = now()
      where tenant_id = ${stamp.tenantId}
      returning balance, held
    ), ${entryAndResult(stamp, -amount, "clawback", reference)}`,
  );
}

/** Reserves credits for work about to run, until settled, released or expired. */
export function holdCredits(db: Db, stamp: Stamp, holdId: string, amount: number, reference: string | null, ttlSeconds: number) {
  return runStatement(
    db,
    stamp,
    sql`acct as (
      update credit_accounts set held = held + ${amount}, updated_at = now()
      where tenant_id = ${stamp.tenantId} and balance - held >= ${amount}
      returning balance, held
    ), hold as (
      insert into credit_holds (id, tenant_id, amount, reference, expires_at)
      select ${holdId}, ${stamp.tenantId}, ${amount}, ${reference}, now() + ${ttlSeconds} * interval '1 second' from acct
      returning id, expires_at
    ), result as (
      select jsonb_build_object('holdId', hold.id, 'amount', ${amount}::bigint, 'expiresAt', hold.expires_at, ${balanceJson("acct")}) as response
      from acct, hold
    )`,
  );
}

/** Charges `actual` (at most the held amount) for an active, unexpired hold and frees the rest. */
export function settleHold(db: Db, stamp: Stamp, holdId: string, actual: number) {
  return runStatement(
    db,
    stamp,
    sql`h as (
      update credit_holds set status = 'settled', settled_amount = ${actual}, closed_at = now()
      where id = ${holdId} and tenant_id = ${stamp.tenantId} and status = 'active' and expires_at > now() and amount >= ${actual}
      returning amount, reference
    ), acct as (
      update credit_accounts a set balance = a.balance - ${actual}, held = a.held - h.amount, updated_at = now()
      from h where a.tenant_id = ${stamp.tenantId}
      returning a.balance, a.held
    ), entry as (
      insert into credit_ledger (tenant_id, delta, balance_after, kind, reference, idempotency_key, actor_type, actor_id)
      select ${stamp.tenantId}, ${-actual}, acct.balance, 'settle', ${holdId}, ${stamp.key}, ${stamp.actor.type}, ${stamp.actor.id}
      from acct where ${actual} > 0
      returning id
    ), result as (
      select jsonb_build_object('holdId', ${holdId}::text, 'charged', ${actual}::bigint, 'entryId', (select id::text from entry), ${balanceJson("acct")}) as response
      from acct
    )`,
  );
}

/** Frees an active hold without charging. */
export function releaseHold(db: Db, stamp: Stamp, holdId: string) {
  return runStatement(
    db,
    stamp,
    sql`h as (
      update credit_holds set status = 'released', closed_at = now()
      where id = ${holdId} and tenant_id = ${stamp.tenantId} and status = 'active'
      returning amount
    ), acct as (
      update credit_accounts a set held = a.held - h.amount, updated_at = now()
      from h where a.tenant_id = ${stamp.tenantId}
      returning a.balance, a.held
    ), result as (
      select jsonb_build_object('holdId', ${holdId}::text, 'released', (select amount from h), ${balanceJson("acct")}) as response from acct
    )`,
  );
}

export async function findIdempotency(db: Db, tenantId: string, key: string) {
  return db
    .selectFrom("idempotency_keys")
    .select(["operation", "request_hash", "response"])
    .where("tenant_id", "=", tenantId)
    .where("key", "=", key)
    .executeTakeFirst();
}

export async function readAccount(db: Db, tenantId: string) {
  return db.selectFrom("credit_accounts").select(["balance", "held", "floor"]).where("tenant_id", "=", tenantId).executeTakeFirst();
}

export async function findHold(db: Db, tenantId: string, holdId: string) {
  return db.selectFrom("credit_holds").selectAll().where("tenant_id", "=", tenantId).where("id", "=", holdId).executeTakeFirst();
}

/** What has already been refunded against a ledger entry, under the account's row lock. */
export async function lockAccountAndSumRefunds(trx: Transaction<DB>, tenantId: string, entryId: string) {
  await sql`select 1 from credit_accounts where tenant_id = ${tenantId} for update`.execute(trx);
  const entry = await trx.selectFrom("credit_ledger").select(["delta", "kind"]).where("tenant_id", "=", tenantId).where("id", "=", entryId).executeTakeFirst();
  const refunded = await sql<{ total: string | number }>`
    select coalesce(sum(delta), 0) as total from credit_ledger where tenant_id = ${tenantId} and kind = 'refund' and reference = ${entryId}`.execute(trx);
  return { entry, refunded: Number(refunded.rows[0]!.total) };
}

export async function listLedger(db: Db, tenantId: string, before: string | null, limit: number) {
  let query = db.selectFrom("credit_ledger").selectAll().where("tenant_id", "=", tenantId);
  if (before) query = query.where("id", "<", before);
  return query.orderBy("id", "desc").limit(limit).execute();
}

/** Expires holds past their time, a batch at a time, returning their credits to the available balance. */
export async function expireHolds(db: Db, batch: number): Promise<number> {
  const result = await sql<{ n: number }>`
    with h as (
      update credit_holds set status = 'expired', closed_at = now()
      where id in (
        select id from credit_holds where status = 'active' and expires_at <= now()
        order by expires_at limit ${batch} for update skip locked
      )
      returning tenant_id, amount
    ), per as (
      select tenant_id, sum(amount) as total, count(*) as n from h group by tenant_id
    ), acct as (
      update credit_accounts a set held = a.held - per.total, updated_at = now() from per where a.tenant_id = per.tenant_id
    )
    select coalesce(sum(n), 0)::int as n from per`.execute(db);
  return result.rows[0]?.n ?? 0;
}
