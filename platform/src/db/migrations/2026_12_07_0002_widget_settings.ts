import { sql, type Kysely } from "kysely";

// Frozen in time: written against Kysely<any>, importing nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  // The widget's look (greeting, brand colour, position, launcher label, theme, locale) and its call to action after
  // a visitor's free runs. Absent fields take defaults (tenants/settings.ts).
  await sql`alter table tenant_settings add column widget jsonb not null default '{}'::jsonb`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table tenant_settings drop column widget`.execute(db);
}
