import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../db/schema.ts";

type Db = Kysely<DB> | Transaction<DB>;

/**
 * How much more a term counts in a chunk's title and headings than in its body (a simple BM25F). Questions of an
 * FAQ and section headings say what a passage is about more densely than its text does.
 */
export const HEADING_WEIGHT = 3;
/**
 * What the stemmer sees: lower case, letters split from digits ("covid19" and "COVID-19" both give "covid 19") and
 * punctuation as spaces, so that one word written three ways is one term. Applied to chunks and queries alike.
 */
export function normalizeForIndex(text: string): string {
  return text
    .toLowerCase()
    .replace(/(\p{L})(\p{N})/gu, "$1 $2")
    .replace(/(\p{N})(\p{L})/gu, "$1 $2")
    .replace(/[^\p{L}\p{N}]+/gu, " ");
}

export interface ChunkRow {
  id: string;
  ordinal: number;
  title: string;
  headingPath: string[];
  text: string;
}

/**
 * Stores chunks and indexes them: postings with weighted term frequencies, each chunk's length, and the tenant's
 * document frequencies and totals, all in the caller's transaction.
 *
 * Every word is indexed twice: as its English stem (Postgres's `english` configuration: "vaccinated" and
 * "vaccines" meet as "vaccin") and as the exact word, prefixed "=" (`simple`: no stemming, no stop words). An exact
 * match thus counts more than a match of stems only, and the question words that stop-word lists drop ("how",
 * "can") still count a little. On CovidFAQ, stems alone scored below plain BM25; both together score well above it
 * (`npm run eval:retrieval`).
 */
export async function insertChunks(trx: Transaction<DB>, tenantId: string, documentId: string, chunks: ChunkRow[]): Promise<void> {
  if (chunks.length === 0) return;
  await sql`
    with input as (
      select * from unnest(${chunks.map((c) => c.id)}::text[], ${chunks.map((c) => c.ordinal)}::int[], ${chunks.map((c) => c.title)}::text[],
        ${chunks.map((c) => JSON.stringify(c.headingPath))}::text[], ${chunks.map((c) => c.text)}::text[],
        ${chunks.map((c) => normalizeForIndex([c.title, ...c.headingPath].join(" ")))}::text[], ${chunks.map((c) => normalizeForIndex(c.text))}::text[])
        as i(id, ordinal, title, heading_path, text, indexed_heading, indexed_text)
    ), terms as (
      select i.id as chunk_id, t.lexeme as term, sum(t.n)::int as tf from input i,
      lateral (
        select lexeme, coalesce(array_length(positions, 1), 1) * ${HEADING_WEIGHT} as n from unnest(to_tsvector('english', i.indexed_heading))
        union all
        select lexeme, coalesce(array_length(positions, 1), 1) from unnest(to_tsvector('english', i.indexed_text))
        union all
        select '=' || lexeme, coalesce(array_length(positions, 1), 1) * ${HEADING_WEIGHT} from unnest(to_tsvector('simple', i.indexed_heading))
        union all
        select '=' || lexeme, coalesce(array_length(positions, 1), 1) from unnest(to_tsvector('simple', i.indexed_text))
      ) t
      group by i.id, t.lexeme
    ), lengths as (
      select chunk_id, sum(tf)::int as length from terms group by chunk_id
    ), chunks as (
      insert into kb_chunks (id, tenant_id, document_id, ordinal, title, heading_path, text, length)
      select i.id, ${tenantId}, ${documentId}, i.ordinal, i.title,
        array(select jsonb_array_elements_text(i.heading_path::jsonb)), i.text, coalesce(l.length, 0)
      from input i left join lengths l on l.chunk_id = i.id
      returning id, length
    ), postings as (
      insert into kb_postings (tenant_id, term, chunk_id, tf, length)
      select ${tenantId}, t.term, t.chunk_id, t.tf, l.length from terms t join lengths l on l.chunk_id = t.chunk_id
    ), df as (
      insert into kb_term_stats (tenant_id, term, df)
      select ${tenantId}, term, count(*) from terms group by term
      on conflict (tenant_id, term) do update set df = kb_term_stats.df + excluded.df
    )
    insert into kb_tenant_stats (tenant_id, chunk_count, total_length)
    select ${tenantId}, count(*), coalesce(sum(length), 0) from chunks
    on conflict (tenant_id) do update set
      chunk_count = kb_tenant_stats.chunk_count + excluded.chunk_count,
      total_length = kb_tenant_stats.total_length + excluded.total_length`.execute(trx);
}

/** Takes a document's chunks out of every index structure, then deletes them (postings go with them). */
export async function deleteChunks(trx: Transaction<DB>, tenantId: string, documentId: string): Promise<void> {
  await sql`
    with gone as (
      select p.term, count(*)::int as n from kb_postings p join kb_chunks c on c.id = p.chunk_id
      where c.document_id = ${documentId} and p.tenant_id = ${tenantId} group by p.term
    )
    update kb_term_stats s set df = s.df - gone.n from gone where s.tenant_id = ${tenantId} and s.term = gone.term`.execute(trx);
  await sql`delete from kb_term_stats where tenant_id = ${tenantId} and df = 0`.execute(trx);
  await sql`
    with gone as (
      delete from kb_chunks where document_id = ${documentId} and tenant_id = ${tenantId} returning length
    )
    update kb_tenant_stats set chunk_count = chunk_count - (select count(*) from gone),
      total_length = total_length - (select coalesce(sum(length), 0) from gone)
    where tenant_id = ${tenantId}`.execute(trx);
}

export interface SearchHit {
  chunkId: string;
  documentId: string;
  title: string;
  headingPath: string[];
  text: string;
  score: number;
}

/**
 * Okapi BM25 over the tenant's own statistics (k1 = 1.2, b = 0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5))).
 * Postgres's ts_rank has no inverse document frequency, so the score is computed here from the postings.
 */
export async function bm25Search(db: Db, tenantId: string, query: string, limit: number): Promise<SearchHit[]> {
  const result = await sql<{ chunk_id: string; document_id: string; title: string; heading_path: string[]; text: string; score: number }>`
    with q as (
      select distinct lexeme as term from unnest(to_tsvector('english', ${normalizeForIndex(query)}))
      union select '=' || lexeme from unnest(to_tsvector('simple', ${normalizeForIndex(query)}))
    ), stats as (
      select chunk_count::float8 as n, greatest(total_length::float8 / nullif(chunk_count, 0), 1) as avgdl
      from kb_tenant_stats where tenant_id = ${tenantId}
    ), weights as (
      select s.term, s.df, ln(1 + (stats.n - s.df + 0.5) / (s.df + 0.5)) as idf
      from kb_term_stats s join q on q.term = s.term, stats
      where s.tenant_id = ${tenantId}
    ), candidates as (
      -- Only chunks holding one of the query's six most selective terms (a word counts twice: stem and exact form) compete; common words ("how", "the")
      -- still add to their scores but do not make every chunk of the tenant a candidate.
      select distinct p.chunk_id from kb_postings p
      join (select term from weights order by df, term limit 6) selective on selective.term = p.term
      where p.tenant_id = ${tenantId}
    ), scored as (
      select p.chunk_id, sum(w.idf * p.tf * 2.2 / (p.tf + 1.2 * (0.25 + 0.75 * p.length / stats.avgdl))) as score
      from candidates c
      join kb_postings p on p.tenant_id = ${tenantId} and p.chunk_id = c.chunk_id
      join weights w on w.term = p.term, stats
      group by p.chunk_id
      order by score desc, p.chunk_id
      limit ${limit}
    )
    select c.id as chunk_id, c.document_id, c.title, c.heading_path, c.text, scored.score
    from scored join kb_chunks c on c.id = scored.chunk_id
    order by scored.score desc, c.id`.execute(db);
  return result.rows.map((r) => ({
    chunkId: r.chunk_id,
    documentId: r.document_id,
    title: r.title,
    headingPath: r.heading_path,
    text: r.text,
    score: Number(r.score),
  }));
}
