import { z } from "zod";

type JsonSchema = Record<string, unknown>;

/** Keywords Anthropic's structured outputs refuse; zod still checks them once the answer is back. */
const UNSUPPORTED = new Set([
  "$schema",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "maxItems",
  "default",
  "examples",
]);
/** String formats structured outputs take. */
const FORMATS = new Set(["date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid"]);

/**
 * The JSON Schema of what the model must answer, in the subset Anthropic's structured outputs accept: every object
 * closed (`additionalProperties: false`), no length, range or pattern keywords, `minItems` only 0 or 1. The zod
 * schema stays the judge: the answer is parsed with it afterwards, and what only zod can say earns a repair.
 */
export function modelSchema(schema: z.ZodType): JsonSchema {
  return strip(z.toJSONSchema(schema, { io: "output", unrepresentable: "throw", target: "draft-2020-12" })) as JsonSchema;
}

function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (!node || typeof node !== "object") return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (UNSUPPORTED.has(key)) continue;
    if (key === "minItems" && typeof value === "number" && value > 1) continue;
    if (key === "format" && typeof value === "string" && !FORMATS.has(value)) continue;
    out[key] = key === "properties" || key === "$defs" ? mapValues(value as JsonSchema, strip) : strip(value);
  }
  // A limit the grammar cannot carry is still said, in words the model reads: fewer answers need a repair.
  const said = limitsInWords(node as JsonSchema);
  if (said) out.description = out.description ? `${out.description} (${said})` : said;
  if (out.type === "object") out.additionalProperties = false;
  return out;
}

function limitsInWords(schema: JsonSchema): string | null {
  const words: string[] = [];
  if (typeof schema.maxLength === "number") words.push(`at most ${schema.maxLength} characters`);
  if (typeof schema.maxItems === "number") words.push(`at most ${schema.maxItems} items`);
  if (typeof schema.minItems === "number" && schema.minItems > 1) words.push(`at least ${schema.minItems} items`);
  if (typeof schema.minimum === "number" && typeof schema.maximum === "number" && schema.maximum < Number.MAX_SAFE_INTEGER) {
    words.push(`from ${schema.minimum} to ${schema.maximum}`);
  }
  return words.length ? words.join(", ") : null;
}

const mapValues = (record: JsonSchema, fn: (v: unknown) => unknown) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
