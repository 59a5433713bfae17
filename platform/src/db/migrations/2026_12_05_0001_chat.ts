import { sql, type Kysely } from "kysely";

// Frozen in time: written against Kysely<any>, importing nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // The support bot's settings per tenant (persona, price of a reply, where escalations go); absent fields take defaults.
  await sql`alter table tenant_settings add column chat jsonb not null default '{}'::jsonb`.execute(db);
  // Secrets a tenant's own servers use: the identity secret signs user ids (userHash), the webhook secret signs
  // the platform's webhooks. Readable by the tenant's owners, so kept apart from settings.
  await db.schema
    .createTable("tenant_chat_secrets")
    .addColumn("tenant_id", "text", (c) => c.primaryKey().references("tenants.id").onDelete("cascade"))
    .addColumn("identity_secret", "text", (c) => c.notNull())
    .addColumn("webhook_secret", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("conversations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id").onDelete("cascade"))
    // The anonymous id the widget keeps; with `user_id`, the tenant's own id of a signed-in user (verified by userHash).
    .addColumn("visitor_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open").check(sql`status in ('open', 'escalated')`))
    .addColumn("message_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("cost_usd", sql`numeric(14, 6)`, (c) => c.notNull().defaultTo(0))
    .addColumn("credits_charged", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("escalated_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index conversations_tenant_idx on conversations (tenant_id, updated_at desc, id)`.execute(db);
  await db.schema.createIndex("conversations_visitor_idx").on("conversations").columns(["tenant_id", "visitor_id"]).execute();

  await db.schema
    .createTable("messages")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("conversation_id", "text", (c) => c.notNull().references("conversations.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('visitor', 'assistant')`))
    .addColumn("content", "text", (c) => c.notNull())
    // A visitor message's passages first given to the model with it, in order: later turns show them again, at the
    // same numbers, so that the whole conversation so far is one cacheable prefix and a passage is sent only once.
    .addColumn("context", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    // [{n, chunkId, documentId, title, headingPath}]: what the numbered citations in the content point at.
    .addColumn("citations", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // [{type: link | email | agent | human, label, ...}]
    .addColumn("actions", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // How an assistant message was made: by the model, or extracted from the knowledge base when the model could not answer.
    .addColumn("answer_mode", "text", (c) => c.check(sql`answer_mode in ('model', 'fallback')`))
    .addColumn("notice", "text")
    .addColumn("model", "text")
    .addColumn("input_tokens", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("output_tokens", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("cache_write_tokens", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("cache_read_tokens", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("cost_usd", sql`numeric(14, 6)`, (c) => c.notNull().defaultTo(0))
    .addColumn("credits_charged", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("messages_conversation_idx").on("messages").columns(["conversation_id", "created_at", "id"]).execute();

  // Notifications to send (escalation e-mails and webhooks), written in the transaction of what caused them and
  // sent afterwards, with retries: nothing is lost when the mail server or the tenant's endpoint is down.
  await db.schema
    .createTable("notification_outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull().check(sql`channel in ('email', 'webhook')`))
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("pending").check(sql`status in ('pending', 'sent', 'failed')`))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("next_attempt_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("sent_at", "timestamptz")
    .execute();
  await sql`create index notification_outbox_due_idx on notification_outbox (next_attempt_at) where status = 'pending'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["notification_outbox", "messages", "conversations", "tenant_chat_secrets"]) await db.schema.dropTable(table).execute();
  await sql`alter table tenant_settings drop column chat`.execute(db);
}
