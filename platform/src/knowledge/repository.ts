import { sql, type Kysely, type Transaction } from "kysely";
import type { DB } from "../db/schema.ts";

type Db = Kysely<DB> | Transaction<DB>;

/**
 * How much more a term counts in a chunk's title and headings than in its body (a simple BM25F). Questions of an
 * FAQ and section headings say what a passage is about more densely than its text does.
 */
export const HEADING_WEIGHT = 3;
/** BM25's parameters, the usual ones. */
const K1 = 1.2;
const B = 0.75;
/** BM25's term-frequency part in SQL, tf (k1 + 1) / (tf + k1 (1 - b + b length / avgdl)), in float8 throughout. */
const tfPart = (tf: string, length: string, avgdl: string) =>
  sql.raw(`${tf} * ${K1 + 1}::float8 / (${tf} + ${K1}::float8 * (${1 - B}::float8 + ${B}::float8 * ${length} / ${avgdl}))`);
/** How deep a search reads (see bm25Search). */
export interface SearchDepth {
  /** Postings of each query term read, best first. */
  postingsPerTerm: number;
  /** Best candidates then scored exactly, from all their postings. */
  rescored: number;
}
export const SEARCH_DEPTH: SearchDepth = { postingsPerTerm: 500, rescored: 100 };
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
    ), average as (
      -- The tenant's average chunk length with these chunks counted in: what a posting's impact is computed with.
      select greatest((coalesce(s.total_length, 0) + b.total)::float8 / nullif(coalesce(s.chunk_count, 0) + b.n, 0), 1) as avgdl
      from (select count(*) as n, coalesce(sum(length), 0) as total from lengths) b
      left join kb_tenant_stats s on s.tenant_id = ${tenantId}
    ), postings as (
      insert into kb_postings (tenant_id, term, chunk_id, tf, length, impact)
      select ${tenantId}, t.term, t.chunk_id, t.tf, l.length, ${tfPart("t.tf", "l.length", "average.avgdl")}
      from terms t join lengths l on l.chunk_id = t.chunk_id, average
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
  /** The page the document was imported from (http or https), for citations that link to it. */
  sourceUrl: string | null;
  title: string;
  headingPath: string[];
  text: string;
  score: number;
}

/**
 * Okapi BM25 over the tenant's own statistics (k1 = 1.2, b = 0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5))).
 * Postgres's ts_rank has no inverse document frequency, so the score is computed here from the postings.
 *
 * Two phases keep a query of common words from scoring the tenant's every chunk. First, each query term offers its
 * `postingsPerTerm` highest-impact postings (an index range read best first), and the chunks they name are ranked
 * by the sum of idf x impact. Then the best `rescored` of them are scored exactly, from every query term's posting
 * of each. A term found in fewer chunks than the cut (every selective term, and every term of a knowledge base
 * under that size) offers all its chunks, so only a chunk that holds nothing but common words can be missed.
 * `bench/knowledge` measures how much of the top 10 matches exhaustive BM25 (a depth no term reaches).
 */
export async function bm25Search(db: Db, tenantId: string, query: string, limit: number, depth: SearchDepth = SEARCH_DEPTH): Promise<SearchHit[]> {
  const result = await sql<{
    chunk_id: string;
    document_id: string;
    source_url: string | null;
    title: string;
    heading_path: string[];
    text: string;
    score: number;
  }>`
    with q as (
      select distinct lexeme as term from unnest(to_tsvector('english', ${normalizeForIndex(query)}))
      union select '=' || lexeme from unnest(to_tsvector('simple', ${normalizeForIndex(query)}))
    ), stats as (
      select chunk_count::float8 as n, greatest(total_length::float8 / nullif(chunk_count, 0), 1) as avgdl
      from kb_tenant_stats where tenant_id = ${tenantId}
    ), weights as (
      select s.term, ln(1 + (stats.n - s.df + 0.5) / (s.df + 0.5)) as idf
      from kb_term_stats s join q on q.term = s.term, stats
      where s.tenant_id = ${tenantId}
    ), candidates as (
      select p.chunk_id from weights w
      cross join lateral (
        select chunk_id, impact from kb_postings
        where tenant_id = ${tenantId} and term = w.term
        order by impact desc
        limit ${depth.postingsPerTerm}
      ) p
      group by p.chunk_id
      order by sum(w.idf * p.impact) desc, p.chunk_id
      limit ${Math.max(limit, depth.rescored)}
    ), scored as (
      select c.chunk_id, sum(w.idf * ${tfPart("p.tf", "p.length", "stats.avgdl")}) as score
      from candidates c cross join weights w
      join kb_postings p on p.chunk_id = c.chunk_id and p.term = w.term, stats
      group by c.chunk_id
      order by score desc, c.chunk_id
      limit ${limit}
    )
    select c.id as chunk_id, c.document_id, d.source_url, c.title, c.heading_path, c.text, scored.score
    from scored join kb_chunks c on c.id = scored.chunk_id join kb_documents d on d.id = c.document_id
    order by scored.score desc, c.id`.execute(db);
  return result.rows.map((r) => ({
    chunkId: r.chunk_id,
    documentId: r.document_id,
    sourceUrl: webUrl(r.source_url),
    title: r.title,
    headingPath: r.heading_path,
    text: r.text,
    score: Number(r.score),
  }));
}

/** The tenant's chunks among `ids` (others, and ids that no longer exist, are left out), as unscored hits. */
export async function chunksByIds(db: Db, tenantId: string, ids: string[]): Promise<SearchHit[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom("kb_chunks as c")
    .innerJoin("kb_documents as d", "d.id", "c.document_id")
    .select(["c.id", "c.document_id", "d.source_url", "c.title", "c.heading_path", "c.text"])
    .where("c.tenant_id", "=", tenantId)
    .where("c.id", "in", ids)
    .execute();
  return rows.map((r) => ({
    chunkId: r.id,
    documentId: r.document_id,
    sourceUrl: webUrl(r.source_url),
    title: r.title,
    headingPath: r.heading_path,
    text: r.text,
    score: 0,
  }));
}

/** A document's source when a visitor can follow it: documents synced from files name their source otherwise. */
const webUrl = (url: string | null) => (url && /^https?:\/\//.test(url) ? url : null);

/** Changes whenever a document of the tenant is added, changed or removed: part of the agents' response-cache key. */
export async function knowledgeVersion(db: Db, tenantId: string): Promise<string> {
  const row = await db
    .selectFrom("kb_documents")
    .select((eb) => [
      eb.fn.countAll<number>().as("documents"),
      eb.fn.max("updated_at").as("updated"),
      eb.fn.sum<number>("revision").as("revisions"),
      // Indexing changes neither of those: a document turning ready, its chunks landing, change these.
      eb.fn.sum<number>("chunk_count").as("chunks"),
      eb.fn.count<number>("id").filterWhere("status", "=", "ready").as("ready"),
    ])
    .where("tenant_id", "=", tenantId)
    .executeTakeFirst();
  const updated = row?.updated ? new Date(row.updated).toISOString() : "-";
  return `${row?.documents ?? 0}:${row?.ready ?? 0}:${row?.chunks ?? 0}:${row?.revisions ?? 0}:${updated}`;
}
