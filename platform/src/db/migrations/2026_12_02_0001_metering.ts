import { sql, type Kysely } from "kysely";

// Frozen in time: written against Kysely<any>, importing nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("credit_accounts")
    .addColumn("tenant_id", "text", (c) => c.primaryKey().references("tenants.id").onDelete("cascade"))
    .addColumn("balance", "bigint", (c) => c.notNull().defaultTo(0))
    // Credits reserved by active holds; available = balance - held.
    .addColumn("held", "bigint", (c) => c.notNull().defaultTo(0).check(sql`held >= 0`))
    // How far below zero the balance may sit. Only a clawback lowers it; a top-up that clears the debt resets it.
    .addColumn("floor", "bigint", (c) => c.notNull().defaultTo(0).check(sql`floor <= 0`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint("credit_accounts_balance_floor", sql`balance >= floor`)
    .execute();
  await sql`insert into credit_accounts (tenant_id) select id from tenants`.execute(db);

  await db.schema
    .createTable("credit_ledger")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id").onDelete("cascade"))
    .addColumn("delta", "bigint", (c) => c.notNull().check(sql`delta <> 0`))
    .addColumn("balance_after", "bigint", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('grant', 'purchase', 'debit', 'settle', 'refund', 'clawback')`))
    .addColumn("reference", "text")
    .addColumn("idempotency_key", "text", (c) => c.notNull())
    .addColumn("actor_type", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("credit_ledger_tenant_idx").on("credit_ledger").columns(["tenant_id", "id"]).execute();
  await db.schema.createIndex("credit_ledger_reference_idx").on("credit_ledger").columns(["tenant_id", "reference"]).execute();
  // Append-only: history is corrected by new entries, never by editing old ones.
  await sql`
    create function credit_ledger_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'credit_ledger is append-only';
    end $$`.execute(db);
  await sql`
    create trigger credit_ledger_no_change before update or delete on credit_ledger
    for each row execute function credit_ledger_append_only()`.execute(db);

  await db.schema
    .createTable("credit_holds")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id").onDelete("cascade"))
    .addColumn("amount", "bigint", (c) => c.notNull().check(sql`amount > 0`))
    .addColumn("reference", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active").check(sql`status in ('active', 'settled', 'released', 'expired')`))
    .addColumn("settled_amount", "bigint")
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("closed_at", "timestamptz")
    .execute();
  await db.schema.createIndex("credit_holds_tenant_idx").on("credit_holds").columns(["tenant_id", "created_at"]).execute();
  await sql`create index credit_holds_expiry_idx on credit_holds (expires_at) where status = 'active'`.execute(db);

  await db.schema
    .createTable("idempotency_keys")
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id").onDelete("cascade"))
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("operation", "text", (c) => c.notNull())
    // SHA-256 of the operation's parameters: the same key with other parameters is a conflict, not a retry.
    .addColumn("request_hash", "text", (c) => c.notNull())
    .addColumn("response", "jsonb", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("idempotency_keys_pkey", ["tenant_id", "key"])
    .execute();

  await db.schema
    .createTable("tenant_settings")
    .addColumn("tenant_id", "text", (c) => c.primaryKey().references("tenants.id").onDelete("cascade"))
    // Overrides of the default limits and trial allowances; absent fields take the defaults.
    .addColumn("rate_limits", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("trial_runs", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("trial_usage")
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id").onDelete("cascade"))
    .addColumn("agent_id", "text", (c) => c.notNull())
    // HMAC-SHA256 of fingerprint, address and user agent: the raw values are never stored.
    .addColumn("visitor_hash", "text", (c) => c.notNull())
    .addColumn("used", "integer", (c) => c.notNull().check(sql`used >= 0`))
    .addColumn("first_used_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_used_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("trial_usage_pkey", ["tenant_id", "agent_id", "visitor_hash"])
    .execute();

  await db.schema
    .createTable("trial_network_usage")
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id").onDelete("cascade"))
    // The /24 (IPv4) or /64 (IPv6) of the visitor, hashed like visitors are.
    .addColumn("network_hash", "text", (c) => c.notNull())
    .addColumn("day", "date", (c) => c.notNull())
    .addColumn("used", "integer", (c) => c.notNull().check(sql`used >= 0`))
    .addPrimaryKeyConstraint("trial_network_usage_pkey", ["tenant_id", "network_hash", "day"])
    .execute();

  // Platform-wide secrets made on first start (the visitor-hash key), shared by every instance through the database.
  await db.schema
    .createTable("platform_secrets")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "platform_secrets",
    "trial_network_usage",
    "trial_usage",
    "tenant_settings",
    "idempotency_keys",
    "credit_holds",
    "credit_ledger",
    "credit_accounts",
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await sql`drop function if exists credit_ledger_append_only()`.execute(db);
}
