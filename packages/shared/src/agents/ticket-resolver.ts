import { z } from "zod";
import { citation, text } from "./fields.ts";

export const ticketCategories = ["billing", "account", "technical", "bug", "feature_request", "how_to", "shipping", "refund", "security", "other"] as const;

export const ticketResolverInput = z.strictObject({
  ticket: text("Ticket", 8000, "The customer's message, as they wrote it"),
  subject: text("Subject", 200).optional(),
  product: text("Product", 120, "The product or plan the ticket is about").optional(),
});

export const ticketResolverOutput = z.object({
  category: z.enum(ticketCategories),
  urgency: z.enum(["low", "normal", "high", "critical"]),
  sentiment: z.enum(["positive", "neutral", "negative", "angry"]),
  summary: z.string(),
  /** Markdown; `[n]` marks cite `citations`. */
  reply: z.string(),
  citations: z.array(citation),
  nextSteps: z.array(z.string()),
  /** The knowledge base does not cover the ticket, or it needs someone who can act on the account. */
  needsHuman: z.boolean(),
});
