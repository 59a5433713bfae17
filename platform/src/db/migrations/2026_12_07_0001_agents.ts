import { sql, type Kysely } from "kysely";

// Frozen in time: written against Kysely<any>, importing nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Per agent: enabled, shown in the widget, the tenant's instructions, the price of a cached run, what follows a
  // visitor's free runs. Absent fields take defaults.
  await sql`alter table tenant_settings add column agents jsonb not null default '{}'::jsonb`.execute(db);
  // The escalation manager's routing rules (teams, keywords, VIPs, business hours); null until the tenant sets them.
  await sql`alter table tenant_settings add column escalation_rules jsonb`.execute(db);

  await db.schema
    .createTable("agent_runs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id").onDelete("cascade"))
    .addColumn("agent_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'failed')`))
    .addColumn("input", "jsonb", (c) => c.notNull())
    // json, not jsonb: an output keeps its fields in the order the agent wrote them, as readers show them.
    .addColumn("output", "json")
    // The steps the current attempt has named so far, for a listener that joins late.
    .addColumn("steps", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // What an agent saved part way (a workflow's plan), so that a retried attempt carries on from it.
    .addColumn("checkpoint", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    // {code, message}: why a run failed, or why its last attempt did while it waits for the next.
    .addColumn("error", "jsonb")
    // Who asked, and through what: a tenant's server (api), the portal, a visitor in the widget, or a workflow's step.
    .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('api', 'portal', 'widget', 'workflow')`))
    .addColumn("actor_type", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    // The widget visitor's identity hash (trials/identity.ts): their own runs, and the free run to give back on failure.
    .addColumn("visitor_hash", "text")
    // credits: the price is held, then settled or released; trial: a visitor's free run.
    .addColumn("billing", "text", (c) => c.notNull().check(sql`billing in ('credits', 'trial')`))
    .addColumn("price", "integer", (c) => c.notNull())
    .addColumn("hold_id", "text")
    .addColumn("credits_charged", "integer", (c) => c.notNull().defaultTo(0))
    // A response-cache hit: the stored output of `cached_from`, returned at once at the tenant's cached-run price.
    .addColumn("cache_key", "text")
    .addColumn("cached", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("cached_from", "text")
    // The caller's Idempotency-Key and a hash of what it asked: the same key and request is the same run.
    .addColumn("idempotency_key", "text")
    .addColumn("request_hash", "text")
    // A workflow's steps are runs of their own, charged at their own prices.
    .addColumn("parent_run_id", "text", (c) => c.references("agent_runs.id").onDelete("cascade"))
    .addColumn("step_index", "integer")
    // Attempts so far; a worker holds a running run until lease_until, after which another may take it over.
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("lease_until", "timestamptz")
    .addColumn("model", "text")
    .addColumn("model_calls", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("input_tokens", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("output_tokens", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("cache_write_tokens", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("cache_read_tokens", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("cost_usd", sql`numeric(14, 6)`, (c) => c.notNull().defaultTo(0))
    .addColumn("duration_ms", "integer")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("started_at", "timestamptz")
    .addColumn("finished_at", "timestamptz")
    .execute();
  await sql`create unique index agent_runs_idempotency_idx on agent_runs (tenant_id, idempotency_key) where idempotency_key is not null`.execute(db);
  await sql`create index agent_runs_tenant_idx on agent_runs (tenant_id, created_at desc, id desc)`.execute(db);
  await sql`create index agent_runs_agent_idx on agent_runs (tenant_id, agent_id, created_at desc, id desc)`.execute(db);
  await sql`create index agent_runs_visitor_idx on agent_runs (tenant_id, visitor_hash, created_at desc) where visitor_hash is not null`.execute(db);
  await sql`create index agent_runs_cache_idx on agent_runs (tenant_id, agent_id, cache_key, finished_at desc) where status = 'succeeded' and not cached`.execute(
    db,
  );
  await sql`create index agent_runs_unfinished_idx on agent_runs (created_at) where status in ('queued', 'running')`.execute(db);
  await sql`create index agent_runs_parent_idx on agent_runs (parent_run_id, step_index) where parent_run_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("agent_runs").execute();
  await sql`alter table tenant_settings drop column escalation_rules`.execute(db);
  await sql`alter table tenant_settings drop column agents`.execute(db);
}
