/**
 * `npm run eval:retrieval`: ingests the CovidFAQ set (../shared/data/faq-eval) into a fresh tenant and scores the
 * knowledge base's own retrieval against plain BM25 computed in the same run. Target: NDCG@3 >= 1.10 x the reference.
 * Uses DATABASE_URL when set, the embedded database otherwise; semantic search when EMBEDDINGS_URL and QDRANT_URL are
 * set (hybrid), BM25 alone otherwise. EVAL_DATA overrides the data file.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { search } from "../src/knowledge/search.ts";
import { addDocument } from "../src/knowledge/service.ts";
import { newId } from "../src/lib/ids.ts";
import { buildDeps, closeDeps } from "../src/main.ts";
import { insertTenant } from "../src/tenants/repository.ts";
import { testEnv } from "../test/harness.ts";
import { Bm25Reference } from "./bm25-reference.ts";
import { rankOf, summarizeRanks } from "./metrics.ts";

interface Row {
  query_type: "faq" | "user_query";
  question: string;
  answer: string;
  id: string;
}

const dataPath = process.env.EVAL_DATA ?? fileURLToPath(new URL("../../../shared/data/faq-eval/covidfaq.json", import.meta.url));
const rows = JSON.parse(readFileSync(dataPath, "utf8")) as Row[];
const faqs = rows.filter((r) => r.query_type === "faq");
const queries = rows.filter((r) => r.query_type === "user_query");

// Semantic search takes part when the environment configures it, as for a deployment; BM25 alone otherwise.
const semanticEnv = Object.fromEntries(
  ["EMBEDDINGS_PROVIDER", "EMBEDDINGS_URL", "EMBEDDINGS_API_KEY", "EMBEDDINGS_MODEL", "QDRANT_URL", "QDRANT_API_KEY"].flatMap((name) =>
    process.env[name] ? [[name, process.env[name]!]] : [],
  ),
);
const deps = await buildDeps(testEnv({ LOG_LEVEL: "silent", ...semanticEnv }));
try {
  const tenant = await deps.db.transaction().execute((trx) => insertTenant(trx, { id: newId("tenant"), name: "CovidFAQ eval" }));
  const system = { type: "system" as const, id: null };
  // FAQ row id -> document id, and answer -> the FAQ rows that give it (two rows share one answer).
  const docOf = new Map<string, string>();
  const rowsByAnswer = new Map<string, string[]>();
  for (const faq of faqs) {
    const doc = await addDocument(deps, system, tenant.id, { title: faq.question.trim(), content: faq.answer, format: "text" });
    docOf.set(faq.id, doc.id);
    rowsByAnswer.set(faq.answer, [...(rowsByAnswer.get(faq.answer) ?? []), faq.id]);
  }
  // With semantic search on, embeddings are written by jobs: wait for every document to be ready.
  while ((await deps.db.selectFrom("kb_documents").select("id").where("tenant_id", "=", tenant.id).where("status", "=", "processing").execute()).length > 0) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const reference = new Bm25Reference(faqs.map((f) => ({ id: f.id, text: `${f.question} ${f.answer}` })));

  const modes = new Set<string>();
  const ours = [];
  const theirs = [];
  const started = performance.now();
  for (const q of queries) {
    const relevantRows = new Set(rowsByAnswer.get(q.answer) ?? []);
    const relevantDocs = new Set([...relevantRows].map((id) => docOf.get(id)!));
    const found = await search(deps, tenant.id, q.question, 10);
    modes.add(found.mode);
    ours.push({ rank: rankOf([...new Set(found.results.map((r) => r.documentId))], relevantDocs) });
    theirs.push({ rank: rankOf(reference.search(q.question, 10), relevantRows) });
  }
  const ms = (performance.now() - started) / queries.length;

  const a = summarizeRanks(ours);
  const b = summarizeRanks(theirs);
  console.log(
    `CovidFAQ retrieval — ${faqs.length} FAQ documents, ${queries.length} user queries, ${deps.database.kind}, search mode: ${[...modes].join(" and ")}`,
  );
  console.log("metric    knowledge base   BM25 reference   ratio");
  for (const metric of Object.keys(a) as Array<keyof typeof a>) {
    console.log(
      `${metric.padEnd(9)} ${a[metric].toFixed(3).padStart(14)}   ${b[metric].toFixed(3).padStart(14)}   ${(a[metric] / b[metric]).toFixed(2).padStart(5)}x`,
    );
  }
  const ratio = a["NDCG@3"] / b["NDCG@3"];
  console.log(`\nNDCG@3 ratio ${ratio.toFixed(3)} (target >= 1.10): ${ratio >= 1.1 ? "PASS" : "FAIL"}; ${ms.toFixed(2)} ms per query (search + reference)`);
} finally {
  await closeDeps(deps);
}
