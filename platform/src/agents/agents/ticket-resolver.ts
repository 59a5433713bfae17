import { ticketCategories } from "@bizbot/shared";
import { z } from "zod";
import { cited } from "../../knowledge/citations.ts";
import { defineAgent } from "../definition.ts";
import { byteLength, clip, fencedWithin } from "../prompt.ts";
import { numberedPassages } from "./passages.ts";

/** Passages the reply may draw on. */
const PASSAGES = 5;

const JOB = `Job: resolve a customer's support ticket for the business. The ticket is inside <input>; numbered passages of the business's knowledge base are inside <passages>.
- category, urgency and sentiment: urgency is critical for an outage, data loss, a security incident or money taken wrongly; high when the customer is blocked; normal for most questions; low for feedback and small issues.
- summary: one sentence, the problem as the customer sees it.
- reply: the answer to send the customer, in the ticket's language, grounded only in the passages. After each sentence that uses a passage, cite it by number, like [1]. If the passages do not answer the ticket, say so honestly and promise a follow-up from the team; never invent facts, prices, links or policies.
- nextSteps: concrete next steps for the support team (or the customer), a few at most.
- needsHuman: true when the passages do not answer the ticket, when it needs someone who can act on the customer's account, or when the customer is angry or asks for a person.`;

const answer = z.object({
  category: z.enum(ticketCategories),
  urgency: z.enum(["low", "normal", "high", "critical"]),
  sentiment: z.enum(["positive", "neutral", "negative", "angry"]),
  summary: z.string().min(1),
  reply: z.string().min(1),
  nextSteps: z.array(z.string()),
  needsHuman: z.boolean(),
});

export const ticketResolver = defineAgent({
  id: "ticket-resolver",
  limits: { calls: 2, maxPromptBytes: 8000, maxOutputTokens: 800 },
  // The reply quotes the knowledge base: a changed help centre is a new answer.
  cache: "knowledge",
  async run(input, ctx) {
    ctx.step("Searching the knowledge base");
    const ticket = [input.subject && `Subject: ${input.subject}`, input.product && `Product: ${input.product}`, input.ticket].filter(Boolean).join("\n");
    const hits = await ctx.search(clip(ticket, 2000), PASSAGES);
    ctx.step("Drafting the reply");
    // The ticket gets up to 40 % of the room, the passages the rest: both always make it into the prompt.
    const room = ctx.model.room(JOB, answer);
    const asked = fencedWithin("input", ticket, Math.floor(room * 0.4));
    const { prompt: passages, numbered } = numberedPassages(hits, room - byteLength(asked) - 1);
    const result = await ctx.model.json({ job: JOB, prompt: `${asked}\n${passages}`, schema: answer });
    const { text, citations } = cited(result.reply, numbered);
    return { ...result, reply: text, citations, needsHuman: result.needsHuman || hits.length === 0 };
  },
});
