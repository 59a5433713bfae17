import { z } from "zod";
import { defineAgent } from "../definition.ts";
import { byteLength, fenced } from "../prompt.ts";
import { LEFT_OUT_BYTES, linesWithin } from "./data/budget.ts";
import type { Change } from "./data/clean.ts";
import { type Converted, convert } from "./data/convert.ts";
import { clipText, typedRow } from "./data/schema.ts";
import { maskSecrets } from "../secrets/mask.ts";
import { isSecretName } from "../secrets/secret-rules.ts";
import { maskSecret } from "../secrets/text.ts";
import { type Cell, cellText } from "./data/table.ts";

const JOB = `You review a table that BizBot's code has already converted and cleaned. Inside <material> are the table's inferred schema (each field's name, type, whether some rows leave it blank, a few values) and its first rows, clipped.

Answer with:
- notes: up to 6 short sentences on what a person should check: fields of mixed type or with values that look wrong (placeholders such as "n/a", units or currency signs in numbers, two facts in one field, dates whose day and month order is unclear), and personal or sensitive data. No notes when nothing stands out.
- mappings: up to 10 better names for fields whose names are unclear, inconsistent or awkward in code: "from" is the field's exact name, "to" a clear snake_case name, "reason" one short sentence. Leave out fields whose names are fine.

You only review: the conversion is done, and your mappings are shown to the user, not applied.`;

// Worst case of a call: 16,000 × $2.50/M + 900 × $10/M = $0.049; two (the second a repair) stay under the $0.10 cap.
const LIMITS = { calls: 2, maxPromptBytes: 16_000, maxOutputTokens: 900 };
const MAX_NOTES = 6;
const MAX_MAPPINGS = 10;
/** Rows of the table the model sees, each value clipped. */
const SAMPLE_ROWS = 5;
const SAMPLE_CHARS = 80;
/** The share of the material's bytes the schema may take; the sample rows have the rest. */
const SCHEMA_SHARE = 0.6;

/** The model's part of the output: its answer is checked against the table (a mapping must name one of its fields). */
const reviewSchema = (fields: ReadonlySet<string>) =>
  z.object({
    notes: z.array(z.string().min(1).max(300)).max(MAX_NOTES),
    mappings: z
      .array(
        z.object({
          from: z.string().refine((name) => fields.has(name), "is not one of the table's fields"),
          to: z.string().min(1).max(100),
          reason: z.string().max(300),
        }),
      )
      .max(MAX_MAPPINGS),
  });

/**
 * Converts CSV, JSON and XML into each other with code (data/convert.ts: parsing, schema inference, cleaning with
 * every change listed), then asks the model once to review the result from its schema and a few rows. Its notes and
 * suggested names are returned as `review` and never applied. Input that does not parse fails before any model
 * call, as invalid input, and the run is not charged.
 */
export const dataProcessor = defineAgent({
  id: "data-processor",
  limits: LIMITS,
  cache: "input",
  async run(input, ctx) {
    ctx.step("Reading the data");
    const converted = convert(input.data, { from: input.from, to: input.to, ...input.options });
    const { table, schema } = converted;

    ctx.step("Reviewing the fields");
    const answer = reviewSchema(new Set(table.fields));
    const room = ctx.model.room(JOB, answer) - byteLength(fenced("material", ""));
    const review = await ctx.model.json({ job: JOB, prompt: fenced("material", await material(converted, input, room)), schema: answer });

    // One scan for every field's examples: secretlint per field would be slow on a table of many fields.
    const masked = await maskSecrets(schema.flatMap((f) => (isSecretName(f.name) ? f.examples.map(maskSecret) : f.examples)));
    let next = 0;
    const fields = schema.map(({ name, type, nullable, examples }) => ({ name, type, nullable, examples: masked.slice(next, (next += examples.length)) }));
    const notes = converted.leftOut.map((name) => `XML: the root's <${name}> elements are not rows and were left out.`);
    return {
      output: converted.output,
      format: input.to,
      rows: table.rows.length,
      fields,
      changes: converted.changes.map(maskChange),
      changeCount: converted.changeCount,
      review: { notes: [...notes, ...review.notes], mappings: review.mappings },
    };
  },
});

/**
 * What the model sees, within `room` bytes: the conversion in a line, the schema, and the first rows as typed JSON,
 * each value clipped and secrets masked. It is measured as it is built, a line or a field at a time, so that a table
 * of any size and width comes to this.
 */
async function material(converted: Converted, input: { from: string; to: string; options: { clean: boolean } }, room: number): Promise<string> {
  const { table, schema, changeCount } = converted;
  const summary = `${input.from.toUpperCase()} to ${input.to.toUpperCase()}: ${table.rows.length} rows, ${table.fields.length} fields; ${input.options.clean ? `cleaning made ${changeCount} changes` : "not cleaned"}.`;
  const fieldLines = schema.map((f) => {
    const examples = f.examples.map((e) => JSON.stringify(isSecretName(f.name) ? maskSecret(e) : e));
    return `- ${JSON.stringify(f.name)}: ${f.type}${f.nullable ? ", sometimes blank" : ""}; e.g. ${examples.join(", ")}`;
  });
  const rows = table.rows.slice(0, SAMPLE_ROWS).map((row) =>
    typedRow(row, schema).map((cell, j): Cell => {
      if (cell !== null && isSecretName(table.fields[j]!)) return maskSecret(cellText(cell));
      return typeof cell === "string" ? clipText(cell, SAMPLE_CHARS) : cell;
    }),
  );
  // Masked before anything is measured: a mask can be longer than what it hides.
  const texts = await maskSecrets([...fieldLines, ...rows.flat().filter((cell) => typeof cell === "string")]);
  let next = fieldLines.length;
  const sample = rows.map((row) => row.map((cell) => (typeof cell === "string" ? texts[next++]! : cell)));

  const head = `${summary}\n\nFields:\n${linesWithin(texts.slice(0, fieldLines.length), Math.floor(room * SCHEMA_SHARE), "fields").join("\n")}\n\nFirst rows:\n`;
  const perRow = Math.floor((room - byteLength(head)) / Math.max(1, sample.length)) - 1;
  return head + sample.map((row) => rowWithin(table.fields, row, perRow)).join("\n");
}

/** A row as a JSON object of its first fields that fit in `bytes`, and an entry saying how many were left out. */
function rowWithin(fields: string[], row: Cell[], bytes: number): string {
  const entries: [string, Cell][] = [];
  let used = LEFT_OUT_BYTES;
  for (const [j, cell] of row.entries()) {
    used += byteLength(JSON.stringify(fields[j])) + byteLength(JSON.stringify(cell)) + 2;
    if (used > bytes) {
      entries.push(["…", `${row.length - j} more fields not shown`]);
      break;
    }
    entries.push([fields[j]!, cell]);
  }
  return JSON.stringify(Object.fromEntries(entries));
}

const maskChange = (change: Change): Change => (isSecretName(change.field) ? { ...change, from: maskSecret(change.from), to: maskSecret(change.to) } : change);
