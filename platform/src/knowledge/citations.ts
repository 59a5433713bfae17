// How an answer cites the knowledge base: the chat and the agents number passages the same way.
import type { Citation } from "@bizbot/shared";
import type { SearchHit } from "./repository.ts";

/** What a citation shows of its passage, for the widget's popover: enough to check the answer, not the whole chunk. */
const CITED_TEXT_CHARS = 600;

export function citation(p: SearchHit, n: number): Citation {
  const text = p.text.length > CITED_TEXT_CHARS ? `${p.text.slice(0, CITED_TEXT_CHARS).trimEnd()}…` : p.text;
  return { n, chunkId: p.chunkId, documentId: p.documentId, title: p.title, headingPath: p.headingPath, url: p.sourceUrl, text };
}

/** The citations an answer makes: each [n] that names a passage shown, in order of first use; other numbers are dropped from the text. */
export function cited(text: string, numbered: Map<number, SearchHit>): { text: string; citations: Citation[] } {
  const used = new Set<number>();
  const clean = text.replace(/\[(\d{1,3})\]/g, (marker, digits: string) => {
    const n = Number(digits);
    if (!numbered.has(n)) return "";
    used.add(n);
    return marker;
  });
  return { text: clean.trim(), citations: [...used].map((n) => citation(numbered.get(n)!, n)) };
}
