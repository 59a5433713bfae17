import { sql, type Kysely } from "kysely";

// Frozen in time: written against Kysely<any>, importing nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // Publishable keys the platform itself embeds in pages, kept whole (they are public by design): the house widget
  // on the portal's public pages, and each tenant's widget in the portal's live preview. One per tenant and purpose.
  await sql`
    create table widget_keys (
      tenant_id text not null references tenants (id) on delete cascade,
      purpose text not null check (purpose in ('house', 'preview')),
      key text not null default '',
      primary key (tenant_id, purpose)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table widget_keys`.execute(db);
}
