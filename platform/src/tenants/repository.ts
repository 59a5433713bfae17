import type { Kysely, Transaction } from "kysely";
import type { DB, Tenant } from "../db/schema.ts";

type Db = Kysely<DB> | Transaction<DB>;

/** A tenant comes with its credit account (at zero), so money operations never have to create one. */
export async function insertTenant(trx: Transaction<DB>, tenant: Pick<Tenant, "id" | "name">): Promise<Tenant> {
  const row = await trx.insertInto("tenants").values(tenant).returningAll().executeTakeFirstOrThrow();
  await trx.insertInto("credit_accounts").values({ tenant_id: row.id }).execute();
  return row;
}

export async function findTenant(db: Db, id: string): Promise<Tenant | undefined> {
  return db.selectFrom("tenants").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function renameTenant(trx: Transaction<DB>, id: string, name: string): Promise<Tenant | undefined> {
  return trx.updateTable("tenants").set({ name }).where("id", "=", id).returningAll().executeTakeFirst();
}
