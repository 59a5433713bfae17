import { z } from "zod";
import { citation, list, text } from "./fields.ts";

export const knowledgeBaseInput = z.strictObject({
  question: text("Question", 2000),
  relatedQuestions: list("Related questions", 20, 500, "More questions to check the knowledge base covers; gaps get a proposed FAQ entry").optional(),
});

export const knowledgeBaseOutput = z.object({
  /** Markdown; `[n]` marks cite `citations`. Empty when the knowledge base has nothing on the question. */
  answer: z.string(),
  answered: z.boolean(),
  citations: z.array(citation),
  /** Each question asked, and whether the knowledge base has a passage that answers it. */
  coverage: z.array(z.object({ question: z.string(), covered: z.boolean(), bestMatch: z.string().nullable() })),
  /** Draft FAQ entries for the questions the knowledge base does not cover, to review before publishing. */
  proposedFaqs: z.array(z.object({ question: z.string(), answer: z.string(), reason: z.string() })),
});
