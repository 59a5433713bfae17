import { z } from "zod";
import { cited } from "../../knowledge/citations.ts";
import type { SearchHit } from "../../knowledge/repository.ts";
import { defineAgent } from "../definition.ts";
import { byteLength, clip, fencedWithin } from "../prompt.ts";
import { numberedPassages } from "./passages.ts";

/** Passages the answer may draw on. */
const PASSAGES = 5;

const JOB = `Job: answer a question from the business's knowledge base, and draft FAQ entries for what it does not cover. The question is inside <input>; numbered passages of the knowledge base are inside <passages>; inside <gaps> are questions the knowledge base has no good passage for.
- answer: in the question's language, grounded only in the passages, citing each passage used by number, like [1]. If the passages do not answer it, answer with an empty string and set answered to false.
- proposedFaqs: one entry for each question in <gaps>: the question as a customer would ask it, a draft answer using only what the passages say, with every fact the business must supply written as [TO FILL: what is needed], and the reason the entry is worth adding. Never invent facts.`;

const answerSchema = z.object({
  answer: z.string(),
  answered: z.boolean(),
  proposedFaqs: z.array(z.object({ question: z.string().min(1), answer: z.string().min(1), reason: z.string().min(1) })),
});

/** Words that say nothing of what a question is about ("how long does it take to …"). */
const STOPWORDS = new Set(
  (
    "a an and are be can could do does for from have how i if in is it my of on or the to what when where which who why will would should with you your we our me this that there their " +
    "long much many take takes get got need want like any some about way please know tell help time there"
  ).split(" "),
);

const termsOf = (text: string) => new Set((text.toLowerCase().match(/\p{L}[\p{L}\p{N}'-]{2,}/gu) ?? []).filter((t) => !STOPWORDS.has(t)));

/**
 * Whether a passage answers a question, without the model: at least half of the question's meaningful words appear in
 * the best passage (prefixes count, so "refunds" finds "refund"). Cheap and explainable; it errs toward "not covered",
 * which only costs a draft FAQ entry the tenant can discard.
 */
export function covers(question: string, hit: SearchHit | undefined): boolean {
  if (!hit) return false;
  const wanted = [...termsOf(question)];
  if (wanted.length === 0) return true;
  const have = [...termsOf(`${hit.title} ${hit.headingPath.join(" ")} ${hit.text}`)];
  const found = wanted.filter((w) => have.some((h) => h.startsWith(w.slice(0, Math.max(4, w.length - 2))) || w.startsWith(h)));
  return found.length / wanted.length >= 0.5;
}

export const knowledgeBase = defineAgent({
  id: "knowledge-base",
  limits: { calls: 2, maxPromptBytes: 10_000, maxOutputTokens: 1400 },
  cache: "knowledge",
  async run(input, ctx) {
    ctx.step("Searching the knowledge base");
    const hits = await ctx.search(clip(input.question, 2000), PASSAGES);
    const related = await Promise.all((input.relatedQuestions ?? []).map(async (q) => ({ question: q, best: (await ctx.search(clip(q, 2000), 1))[0] })));
    const coverage = [{ question: input.question, best: hits[0] }, ...related].map(({ question, best }) => ({
      question,
      covered: covers(question, best),
      bestMatch: best ? [best.title, ...best.headingPath].join(" › ") : null,
    }));
    const gaps = coverage.filter((c) => !c.covered).map((c) => c.question);

    ctx.step("Writing the answer");
    const room = ctx.model.room(JOB, answerSchema);
    const asked = `${fencedWithin("input", input.question, Math.floor(room * 0.2))}\n${fencedWithin("gaps", gaps.map((g) => `- ${g}`).join("\n") || "(none)", Math.floor(room * 0.2))}`;
    const { prompt: passages, numbered } = numberedPassages(hits, room - byteLength(asked) - 1);
    const result = await ctx.model.json({ job: JOB, prompt: `${asked}\n${passages}`, schema: answerSchema });
    const { text, citations } = cited(result.answer, numbered);
    // Without a passage there is nothing to ground an answer in, whatever the model wrote.
    const answered = result.answered && hits.length > 0 && text.length > 0;
    return { answer: answered ? text : "", answered, citations: answered ? citations : [], coverage, proposedFaqs: result.proposedFaqs.slice(0, gaps.length) };
  },
});
