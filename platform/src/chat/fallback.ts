import { normalizeForIndex } from "../knowledge/repository.ts";
import type { SearchHit } from "../knowledge/repository.ts";

/** Passages quoted by an extractive answer, and sentences quoted from each. */
const QUOTED_PASSAGES = 2;
const SENTENCES = 2;

const STOP_WORDS = new Set(
  "a an and are as at be but by can do does for from has have how i if in is it its me my of on or our so that the their there this to was we what when where which who why will with you your".split(
    " ",
  ),
);

/**
 * The answer when the model cannot give one (not configured, failing, or the tenant out of credits): the sentences
 * of the best passages that share most words with the question, quoted with their numbers in the conversation.
 * Never blank.
 */
export function extractiveAnswer(question: string, passages: SearchHit[], numberOf: (passage: SearchHit) => number): { text: string; used: SearchHit[] } {
  const used = passages.slice(0, QUOTED_PASSAGES);
  if (used.length === 0) return { text: "I could not find anything about this in our help content. Would you like to talk to a person?", used };
  const words = new Set(
    normalizeForIndex(question)
      .split(" ")
      .filter((w) => w && !STOP_WORDS.has(w)),
  );
  const quotes = used.map((passage) => `${bestSentences(passage.text, words)} [${numberOf(passage)}]`);
  return { text: `Here is what our help content says:\n\n${quotes.join("\n\n")}`, used };
}

function bestSentences(text: string, words: Set<string>): string {
  // A sentence ends at . ! or ? before a space: "$0.04" and "e.g.x" stay whole.
  const sentences = text
    .replace(/\s+/g, " ")
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const scored = sentences.map((sentence, index) => ({
    index,
    sentence,
    score: normalizeForIndex(sentence)
      .split(" ")
      .filter((w) => words.has(w)).length,
  }));
  const best = [...scored].sort((a, b) => b.score - a.score || a.index - b.index).slice(0, SENTENCES);
  const quote = best
    .sort((a, b) => a.index - b.index)
    .map((s) => s.sentence)
    .join(" ");
  return quote.length > 600 ? `${quote.slice(0, 600).replace(/\s+\S*$/, "")}…` : quote;
}
