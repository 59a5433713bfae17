import { sql, type Insertable, type Kysely, type Transaction } from "kysely";
import type { BillingPaymentsTable, DB } from "../db/schema.ts";

type Db = Kysely<DB> | Transaction<DB>;

export async function findAccount(db: Db, tenantId: string) {
  return db.selectFrom("billing_accounts").selectAll().where("tenant_id", "=", tenantId).executeTakeFirst();
}

export async function findTenantByCustomer(db: Db, customerId: string): Promise<string | null> {
  const row = await db.selectFrom("billing_accounts").select("tenant_id").where("customer_id", "=", customerId).executeTakeFirst();
  return row?.tenant_id ?? null;
}

export async function tenantExists(db: Db, tenantId: string): Promise<boolean> {
  return Boolean(await db.selectFrom("tenants").select("id").where("id", "=", tenantId).executeTakeFirst());
}

/** The tenant's billing row, made if missing and locked for the rest of the transaction. */
export async function lockAccount(trx: Transaction<DB>, tenantId: string) {
  await trx
    .insertInto("billing_accounts")
    .values({ tenant_id: tenantId })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return trx.selectFrom("billing_accounts").selectAll().where("tenant_id", "=", tenantId).forUpdate().executeTakeFirstOrThrow();
}

export async function updateAccount(db: Db, tenantId: string, changes: Partial<Omit<Insertable<DB["billing_accounts"]>, "tenant_id">>) {
  await db
    .insertInto("billing_accounts")
    .values({ tenant_id: tenantId, ...changes })
    .onConflict((oc) => oc.column("tenant_id").doUpdateSet({ ...changes, updated_at: new Date() }))
    .execute();
}

/** Records an event as applied; false when it already was (a redelivery, a reconcile, a concurrent delivery). */
export async function recordEvent(
  trx: Transaction<DB>,
  event: { id: string; type: string; created: number },
  tenantId: string | null,
  source: "webhook" | "reconcile",
): Promise<boolean> {
  const row = await trx
    .insertInto("stripe_events")
    .values({ id: event.id, type: event.type, tenant_id: tenantId, source, created_at: new Date(event.created * 1000) })
    .onConflict((oc) => oc.doNothing())
    .returning("id")
    .executeTakeFirst();
  return Boolean(row);
}

/** Records a payment once by its business key; false when some other event or a reconcile already did. */
export async function insertPayment(trx: Transaction<DB>, payment: Insertable<BillingPaymentsTable>): Promise<boolean> {
  const row = await trx
    .insertInto("billing_payments")
    .values(payment)
    .onConflict((oc) => oc.doNothing())
    .returning("key")
    .executeTakeFirst();
  return Boolean(row);
}

export async function lockPaymentByIntent(trx: Transaction<DB>, paymentIntent: string) {
  return trx.selectFrom("billing_payments").selectAll().where("payment_intent", "=", paymentIntent).forUpdate().executeTakeFirst();
}

export async function updatePayment(
  trx: Transaction<DB>,
  key: string,
  changes: { refunded_credits?: number; disputed_credits?: number; dispute_id?: string; dispute_closed?: boolean },
) {
  await trx.updateTable("billing_payments").set(changes).where("key", "=", key).execute();
}

export async function findPaymentByReference(db: Db, tenantId: string, references: string[]) {
  return db.selectFrom("billing_payments").selectAll().where("tenant_id", "=", tenantId).where("reference", "in", references).executeTakeFirst();
}

export async function listPayments(db: Db, tenantId: string, limit: number) {
  return db.selectFrom("billing_payments").selectAll().where("tenant_id", "=", tenantId).orderBy("created_at", "desc").limit(limit).execute();
}

/** Tenants whose available credits are under their auto top-up threshold and that have not tried in a day. */
export async function dueTopUps(db: Db, limit: number): Promise<string[]> {
  const rows = await sql<{ tenant_id: string }>`
    select b.tenant_id from billing_accounts b join credit_accounts c on c.tenant_id = b.tenant_id
    where b.auto_top_up and b.payment_method_id is not null and c.balance - c.held < b.auto_top_up_threshold
      and (b.auto_top_up_attempted_at is null or b.auto_top_up_attempted_at <= now() - interval '1 day')
    limit ${limit}`.execute(db);
  return rows.rows.map((r) => r.tenant_id);
}

/**
 * Takes the day's one auto top-up attempt, if it is due: one statement, so that of any number of instances and
 * spends racing, one wins and the rest see it taken.
 */
export async function claimTopUp(db: Db, tenantId: string) {
  const rows = await sql<{ customer_id: string; payment_method_id: string; product: string; attempted_at: Date }>`
    update billing_accounts b set auto_top_up_attempted_at = now(), updated_at = now()
    from credit_accounts c
    where b.tenant_id = ${tenantId} and c.tenant_id = b.tenant_id and b.auto_top_up and b.customer_id is not null
      and b.payment_method_id is not null and c.balance - c.held < b.auto_top_up_threshold
      and (b.auto_top_up_attempted_at is null or b.auto_top_up_attempted_at <= now() - interval '1 day')
    returning b.customer_id, b.payment_method_id, b.auto_top_up_product as product, b.auto_top_up_attempted_at as attempted_at`.execute(db);
  return rows.rows[0] ?? null;
}
