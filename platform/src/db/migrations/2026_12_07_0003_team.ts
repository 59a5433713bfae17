import { sql, type Kysely } from "kysely";

// Frozen in time: written against Kysely<any>, importing nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("invitations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id").onDelete("cascade"))
    // Stored lowercased: matched against users' e-mails case-insensitively.
    .addColumn("email", "text", (c) => c.notNull().check(sql`email = lower(email)`))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('admin', 'member')`))
    // SHA-256 of the token, hex: the token itself goes only into the e-mail.
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("invited_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .addColumn("accepted_at", "timestamptz")
    .addColumn("revoked_at", "timestamptz")
    .execute();
  // One open invitation per address and tenant: inviting again replaces it, and two racing invites cannot both stay.
  await sql`create unique index invitations_open_idx on invitations (tenant_id, email) where accepted_at is null and revoked_at is null`.execute(db);

  // Where a sign-up came from ('widget-trial': the house widget's call to action); null when unknown.
  await sql`alter table tenants add column signup_source text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table tenants drop column signup_source`.execute(db);
  await db.schema.dropTable("invitations").execute();
}
