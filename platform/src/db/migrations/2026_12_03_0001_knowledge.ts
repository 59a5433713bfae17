import { sql, type Kysely } from "kysely";

// Frozen in time: written against Kysely<any>, importing nothing from the app.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("kb_documents")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("format", "text", (c) => c.notNull())
    .addColumn("source_url", "text")
    // SHA-256 of the normalised content: the same content twice is one document.
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("bytes", "integer", (c) => c.notNull())
    .addColumn("chunk_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('processing', 'ready', 'failed')`))
    .addColumn("error", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index kb_documents_hash_idx on kb_documents (tenant_id, content_hash)`.execute(db);
  await db.schema.createIndex("kb_documents_tenant_idx").on("kb_documents").columns(["tenant_id", "created_at"]).execute();

  await db.schema
    .createTable("kb_chunks")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("document_id", "text", (c) => c.notNull().references("kb_documents.id").onDelete("cascade"))
    .addColumn("ordinal", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("heading_path", sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn("text", "text", (c) => c.notNull())
    // Weighted count of indexed terms: the document length of BM25.
    .addColumn("length", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("kb_chunks_document_idx").on("kb_chunks").columns(["document_id", "ordinal"]).execute();

  // The inverted index: one row per (term, chunk) with the term's weighted frequency in the chunk and, copied from
  // the chunk (which never changes once written), its length. The key carries both, so scoring a query reads the
  // index alone and never visits the chunks.
  await sql`
    create table kb_postings (
      tenant_id text not null,
      term text not null,
      chunk_id text not null references kb_chunks (id) on delete cascade,
      tf integer not null,
      length integer not null,
      constraint kb_postings_pkey primary key (tenant_id, term, chunk_id) include (tf, length)
    )`.execute(db);
  await db.schema.createIndex("kb_postings_chunk_idx").on("kb_postings").column("chunk_id").execute();

  // Per-tenant statistics BM25 needs: document frequency per term, and chunk count and total length.
  await db.schema
    .createTable("kb_term_stats")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("term", "text", (c) => c.notNull())
    .addColumn("df", "integer", (c) => c.notNull().check(sql`df >= 0`))
    .addPrimaryKeyConstraint("kb_term_stats_pkey", ["tenant_id", "term"])
    .execute();
  await db.schema
    .createTable("kb_tenant_stats")
    .addColumn("tenant_id", "text", (c) => c.primaryKey().references("tenants.id").onDelete("cascade"))
    .addColumn("chunk_count", "integer", (c) => c.notNull().defaultTo(0).check(sql`chunk_count >= 0`))
    .addColumn("total_length", "bigint", (c) => c.notNull().defaultTo(0).check(sql`total_length >= 0`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["kb_tenant_stats", "kb_term_stats", "kb_postings", "kb_chunks", "kb_documents"]) {
    await db.schema.dropTable(table).execute();
  }
}
