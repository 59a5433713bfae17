import { z } from "zod";
import { sizedText } from "./fields.ts";

export const DATA_PROCESSOR_MAX_BYTES = 1024 * 1024;
export const dataFormats = ["csv", "json", "xml"] as const;
export const fieldTypes = ["string", "integer", "number", "boolean", "date", "email", "empty", "mixed"] as const;

export const dataProcessorInput = z.strictObject({
  data: sizedText("Data", DATA_PROCESSOR_MAX_BYTES, "CSV, JSON or XML, up to 1 MB"),
  from: z.enum(dataFormats).meta({ title: "From" }),
  to: z.enum(dataFormats).meta({ title: "To" }),
  options: z
    .strictObject({
      inferTypes: z.boolean().default(true).meta({ title: "Infer types", description: "Numbers and booleans become typed values in JSON" }),
      clean: z.boolean().default(true).meta({ title: "Clean", description: "Trim, drop duplicate rows, normalise dates, numbers and e-mails" }),
    })
    .default({ inferTypes: true, clean: true })
    .meta({ title: "Options" }),
});

export const dataProcessorOutput = z.object({
  /** The converted data. */
  output: z.string(),
  format: z.enum(dataFormats),
  rows: z.int(),
  fields: z.array(z.object({ name: z.string(), type: z.enum(fieldTypes), nullable: z.boolean(), examples: z.array(z.string()) })),
  /** Each change cleaning made; the first 500. `row` is 1-based, header excluded. */
  changes: z.array(z.object({ row: z.int(), field: z.string(), rule: z.string(), from: z.string(), to: z.string() })),
  changeCount: z.int(),
  /** The model's reading of the data: what may be wrong, and names that would map the fields better (not applied). */
  review: z.object({ notes: z.array(z.string()), mappings: z.array(z.object({ from: z.string(), to: z.string(), reason: z.string() })) }),
});
