import { z } from "zod";
import { sizedText, text } from "./fields.ts";

export const chartTypes = ["bar", "line", "pie", "scatter", "table"] as const;

export const reportGeneratorInput = z.strictObject({
  title: text("Title", 200).optional(),
  notes: text("Notes", 20_000, "What the report is about: findings, context, what the reader should decide"),
  data: sizedText("Data", 500 * 1024, "CSV or JSON rows, up to 500 KB").optional(),
  audience: z.enum(["executive", "technical", "customer", "internal"]).meta({ title: "Audience" }).optional(),
});

export const reportGeneratorOutput = z.object({
  title: z.string(),
  executiveSummary: z.string(),
  /** The whole report in markdown, the summary first. */
  markdown: z.string(),
  /** Charts the data supports, chosen from its fields' types. */
  charts: z.array(z.object({ type: z.enum(chartTypes), title: z.string(), x: z.string(), y: z.string().nullable(), reason: z.string() })),
  /** Per field of the data, computed without the model. */
  stats: z.array(
    z.object({
      field: z.string(),
      type: z.string(),
      count: z.int(),
      min: z.number().nullable(),
      max: z.number().nullable(),
      mean: z.number().nullable(),
      sum: z.number().nullable(),
      top: z.array(z.object({ value: z.string(), count: z.int() })),
    }),
  ),
});
