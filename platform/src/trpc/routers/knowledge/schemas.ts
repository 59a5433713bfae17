import { documentId } from "@bizbot/shared";
import { z } from "zod";
import { documentFormats } from "../../../knowledge/formats.ts";

export const documentInput = z.strictObject({
  title: z.string().trim().min(1, "is required").max(300),
  // The 10 MB limit is checked on the bytes (or the PDF inside the base64), with a clear 413; this bound only
  // stops absurd strings early.
  content: z.string().max(14 * 1024 * 1024),
  format: z.enum(documentFormats),
});

export const documentIdInput = z.strictObject({ id: documentId });

export const searchInput = z.strictObject({
  query: z.string().trim().min(1, "is required").max(2000),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const documentOutput = z.object({
  id: z.string(),
  title: z.string(),
  format: z.string(),
  sourceUrl: z.string().nullable(),
  bytes: z.number(),
  chunkCount: z.number(),
  status: z.enum(["processing", "ready", "failed"]),
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const searchOutput = z.object({
  results: z.array(
    z.object({ documentId: z.string(), chunkId: z.string(), title: z.string(), headingPath: z.array(z.string()), text: z.string(), score: z.number() }),
  ),
  mode: z.enum(["lexical", "hybrid"]),
  notice: z.string().optional(),
});
