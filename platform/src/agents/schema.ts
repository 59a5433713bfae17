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
  if (out.type === "object") out.additionalProperties = false;
  return out;
}

const mapValues = (record: JsonSchema, fn: (v: unknown) => unknown) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
