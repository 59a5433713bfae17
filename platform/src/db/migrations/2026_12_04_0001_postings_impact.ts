import { sql, type Kysely } from "kysely";

// Frozen in time: written against Kysely<any>, importing nothing from the app.
//
// Search reads each query term's postings best first and stops after a fixed number (impact ordering, as search
// engines do), so a query of common words no longer scores every chunk of the tenant. `impact` is the BM25 term-frequency
// part of a posting, computed with the tenant's average chunk length when the posting was written; it only orders the
// postings, and scores are still computed from tf and length at query time.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table kb_postings add column impact real`.execute(db);
  await sql`
    update kb_postings p set impact = p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * p.length / greatest(s.total_length::float8 / nullif(s.chunk_count, 0), 1)))
    from kb_tenant_stats s where s.tenant_id = p.tenant_id`.execute(db);
  await sql`update kb_postings set impact = 0 where impact is null`.execute(db);
  await sql`alter table kb_postings alter column impact set not null`.execute(db);
  // The old key (tenant, term, chunk) served scoring by term; the impact index does that now. Keyed by chunk, the
  // table serves what remains: deleting a document's postings and the foreign key's cascade.
  await sql`alter table kb_postings drop constraint kb_postings_pkey`.execute(db);
  await sql`drop index kb_postings_chunk_idx`.execute(db);
  await sql`alter table kb_postings add constraint kb_postings_pkey primary key (chunk_id, term)`.execute(db);
  await sql`create index kb_postings_impact_idx on kb_postings (tenant_id, term, impact desc) include (chunk_id, tf, length)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index kb_postings_impact_idx`.execute(db);
  await sql`alter table kb_postings drop constraint kb_postings_pkey`.execute(db);
  await sql`alter table kb_postings add constraint kb_postings_pkey primary key (tenant_id, term, chunk_id) include (tf, length)`.execute(db);
  await sql`create index kb_postings_chunk_idx on kb_postings (chunk_id)`.execute(db);
  await sql`alter table kb_postings drop column impact`.execute(db);
}
