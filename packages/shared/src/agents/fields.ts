import { z } from "zod";

// Building blocks of the agents' input and output schemas. Inputs carry a title (and a description where the
// name is not enough): the widget and the portal draw their forms from the JSON Schema the platform hands out.

/** Text of at most `max` characters, trimmed, not empty. */
export const text = (title: string, max: number, description?: string) =>
  z
    .string()
    .trim()
    .min(1, "is empty")
    .max(max)
    .meta({ title, ...(description ? { description } : {}) });

const utf8 = new TextEncoder();

/** Text whose UTF-8 size is at most `maxBytes` (what the product promises, e.g. "up to 200 KB"). */
export const sizedText = (title: string, maxBytes: number, description?: string) =>
  z
    .string()
    .min(1, "is empty")
    .max(maxBytes)
    .refine((s) => utf8.encode(s).length <= maxBytes, `is over ${Math.round(maxBytes / 1024)} KB`)
    .meta({ title, ...(description ? { description } : {}) });

export const list = (title: string, maxItems: number, maxLength: number, description?: string) =>
  z
    .array(z.string().trim().min(1).max(maxLength))
    .max(maxItems)
    .meta({ title, ...(description ? { description } : {}) });

/** What a numbered citation `[n]` in an agent's text points at: a passage of the tenant's knowledge base. */
export const citation = z.object({
  n: z.int().min(1),
  chunkId: z.string(),
  documentId: z.string(),
  title: z.string(),
  headingPath: z.array(z.string()),
  url: z.string().nullable().optional(),
  text: z.string().optional(),
});

export const severity = z.enum(["critical", "high", "medium", "low", "info"]);
export const level = z.enum(["low", "medium", "high"]);
