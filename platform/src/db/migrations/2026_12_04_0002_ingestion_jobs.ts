import { sql, type Kysely } from "kysely";

// Frozen in time: written against Kysely<any>, importing nothing from the app.
//
// Large documents are indexed by a background job. Until it has run, the document keeps what was uploaded
// (`pending_source`: UTF-8 text, or a PDF's bytes); `revision` counts changes, so that a job for an older revision
// never overwrites a newer one.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table kb_documents add column pending_source bytea`.execute(db);
  await sql`alter table kb_documents add column revision integer not null default 1`.execute(db);
  // Finding the work a stopped process left behind.
  await sql`create index kb_documents_processing_idx on kb_documents (updated_at) where status = 'processing'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index kb_documents_processing_idx`.execute(db);
  await sql`alter table kb_documents drop column revision`.execute(db);
  await sql`alter table kb_documents drop column pending_source`.execute(db);
}
