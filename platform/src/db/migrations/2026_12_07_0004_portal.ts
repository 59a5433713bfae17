import { sql, type Kysely } from "kysely";

// Frozen in time: written against Kysely<any>, importing nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Password resets: like sessions, only the SHA-256 of the token is kept; a token works once, within its hour.
  await db.schema
    .createTable("password_resets")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("used_at", "timestamptz")
    .execute();
  await db.schema.createIndex("password_resets_user_idx").on("password_resets").column("user_id").execute();

  // A password reset is mail from the platform to a person, not from one of their tenants: it has no tenant (and a
  // person may belong to none, or lose the one it would be filed under). Webhooks are always a tenant's.
  await sql`alter table notification_outbox alter column tenant_id drop not null`.execute(db);
  await sql`alter table notification_outbox add constraint notification_outbox_webhook_tenant check (channel <> 'webhook' or tenant_id is not null)`.execute(
    db,
  );

  // How long a tenant keeps agent inputs and conversations; absent fields take defaults (tenants/settings.ts).
  await sql`alter table tenant_settings add column retention jsonb not null default '{}'::jsonb`.execute(db);
  // When retention cleared a run's input and output; its accounting (tokens, cost, credits) stays.
  await sql`alter table agent_runs add column purged_at timestamptz`.execute(db);
  // The runs retention has yet to clear: the sweep reads these alone, not every run ever purged.
  await sql`create index agent_runs_unpurged_idx on agent_runs (tenant_id, created_at) where purged_at is null`.execute(db);

  // The audit listing's filter by action, and the list of a tenant's distinct actions.
  await sql`create index audit_log_tenant_action_idx on audit_log (tenant_id, action, id)`.execute(db);

  // The ledger stays append-only, with one exception: a tenant's deletion (tenants/deletion.ts) takes the tenant's
  // ledger with it, naming the tenant in a setting local to its transaction.
  await sql`
    create or replace function credit_ledger_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and old.tenant_id = current_setting('bizbot.deleting_tenant', true) then
        return old;
      end if;
      raise exception 'credit_ledger is append-only';
    end $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function credit_ledger_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'credit_ledger is append-only';
    end $$`.execute(db);
  await sql`drop index audit_log_tenant_action_idx`.execute(db);
  await sql`drop index agent_runs_unpurged_idx`.execute(db);
  await sql`alter table agent_runs drop column purged_at`.execute(db);
  await sql`alter table tenant_settings drop column retention`.execute(db);
  await sql`alter table notification_outbox drop constraint notification_outbox_webhook_tenant`.execute(db);
  await sql`delete from notification_outbox where tenant_id is null`.execute(db);
  await sql`alter table notification_outbox alter column tenant_id set not null`.execute(db);
  await db.schema.dropTable("password_resets").execute();
}
