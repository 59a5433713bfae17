import { sql, type Kysely } from "kysely";

// Frozen in time: written against Kysely<any>, importing nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // A tenant's side of Stripe: its one customer, its plan (as Stripe last said), its saved card and auto top-up.
  await sql`
    create table billing_accounts (
      tenant_id text primary key references tenants (id) on delete cascade,
      customer_id text unique,
      subscription_id text,
      plan text,
      plan_status text,
      plan_period_end timestamptz,
      plan_cancel_at_period_end boolean not null default false,
      -- When the subscription state written here was read from Stripe: an older read never overwrites a newer one.
      plan_read_at timestamptz,
      payment_method_id text,
      auto_top_up boolean not null default false,
      auto_top_up_threshold integer not null default 100 check (auto_top_up_threshold between 1 and 1000000),
      auto_top_up_product text not null default 'starter',
      auto_top_up_attempted_at timestamptz,
      auto_top_up_error text,
      auto_top_up_failed_at timestamptz,
      updated_at timestamptz not null default now()
    )`.execute(db);

  // Every Stripe event applied, by its id: a redelivery or a reconcile of the same event finds it and does nothing.
  await sql`
    create table stripe_events (
      id text primary key,
      type text not null,
      tenant_id text references tenants (id) on delete set null,
      source text not null check (source in ('webhook', 'reconcile')),
      created_at timestamptz not null,
      received_at timestamptz not null default now()
    )`.execute(db);

  // Every payment that added credits, keyed by its business object (checkout:cs_…, invoice:in_…, top-up:pi_…), so
  // that it takes effect once whichever event, or reconcile, brings it. Refunds and disputes take back against it.
  await sql`
    create table billing_payments (
      key text primary key,
      tenant_id text not null references tenants (id) on delete cascade,
      kind text not null check (kind in ('package', 'plan', 'auto_top_up')),
      product text not null,
      credits integer not null check (credits > 0),
      amount integer not null,
      currency text not null,
      payment_intent text unique,
      reference text not null,
      refunded_credits integer not null default 0,
      disputed_credits integer not null default 0,
      dispute_id text,
      dispute_closed boolean not null default false,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index billing_payments_tenant on billing_payments (tenant_id, created_at desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table billing_payments`.execute(db);
  await sql`drop table stripe_events`.execute(db);
  await sql`drop table billing_accounts`.execute(db);
}
