import type { MessageCreateParams } from "@anthropic-ai/sdk/resources/messages";

// Structured outputs (`output_config.format`): the schema checks Anthropic makes before it answers, and an answer
// that fits the schema, for requests nothing was scripted for.

type Schema = Record<string, unknown>;

/** Keywords structured outputs refuse (Anthropic's documented JSON Schema subset). */
const REFUSED = ["minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "maxItems"];

/** The 400 message for a format schema Anthropic would refuse, or null. */
export function formatRefusal(body: MessageCreateParams): string | null {
  const format = body.output_config?.format;
  if (!format) return null;
  if (format.type !== "json_schema" || typeof format.schema !== "object" || format.schema === null)
    return "output_config.format: a json_schema format needs a schema";
  return schemaProblem(format.schema as Schema, "output_config.format.schema");
}

function schemaProblem(node: unknown, path: string): string | null {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) {
      const problem = schemaProblem(item, `${path}.${i}`);
      if (problem) return problem;
    }
    return null;
  }
  if (!node || typeof node !== "object") return null;
  const schema = node as Schema;
  for (const keyword of REFUSED) if (keyword in schema) return `${path}: '${keyword}' is not supported in structured outputs`;
  if (typeof schema.minItems === "number" && schema.minItems > 1) return `${path}: minItems above 1 is not supported in structured outputs`;
  if (schema.type === "object" && schema.additionalProperties !== false) return `${path}: objects must set additionalProperties to false`;
  for (const [key, value] of Object.entries(schema)) {
    const problem = schemaProblem(value, `${path}.${key}`);
    if (problem) return problem;
  }
  return null;
}

/**
 * How big an unscripted structured answer is: `minimal` (one item per array, one word per string), or `typical`
 * (strings of a sentence or two, arrays of three, or one item per value when their items carry an enum: every
 * control, every finding), for benchmarks that price a run as a model would answer it.
 */
export type ExampleSize = "minimal" | "typical";

/** The JSON text of a value that fits the request's format schema, or null when the request has none. */
export function formatExample(body: MessageCreateParams, size: ExampleSize = "minimal"): string | null {
  const format = body.output_config?.format;
  if (format?.type !== "json_schema") return null;
  const root = format.schema as Schema;
  return JSON.stringify(example(root, root, size, 0));
}

const SENTENCE = "The figures point to a clear cause, and the next step is to confirm it with the team before the change goes out. ";

function example(schema: Schema, root: Schema, size: ExampleSize, index: number): unknown {
  if (typeof schema.$ref === "string") return example(resolveRef(schema.$ref, root), root, size, index);
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[index % schema.enum.length];
  const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (variants?.length) return example(variants.find((v) => v.type !== "null") ?? variants[0]!, root, size, index);
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== "null") as string) : (schema.type as string | undefined);
  switch (type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required ?? []) as string[]);
      return Object.fromEntries(
        Object.entries(properties).flatMap(([name, property]) => (required.has(name) ? [[name, example(property, root, size, index)]] : [])),
      );
    }
    case "array": {
      if (!schema.items) return [];
      const items = schema.items as Schema;
      const typical = Math.max(atLeast(schema) ?? 0, Math.min(20, said(schema, "items") ?? Infinity, enumSize(items, root) ?? 3));
      const length = size === "minimal" ? Math.max(1, atLeast(schema) ?? 0) : typical;
      return Array.from({ length }, (_, i) => example(items, root, size, i));
    }
    case "string":
      if (schema.format === "date-time") return "2026-01-01T00:00:00Z";
      if (schema.format === "email") return "someone@example.com";
      // A limit said in words (agents/schema.ts says what the grammar cannot carry) is kept, as a model would.
      return size === "minimal"
        ? "example"
        : SENTENCE.repeat(1 + (index % 2))
            .slice(0, said(schema, "characters") ?? Infinity)
            .trim();
    case "integer":
      return 1;
    case "number":
      return 1.5;
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return null;
  }
}

/** A limit a schema's description says in words ("at most 60 characters"). */
function said(schema: Schema, unit: "characters" | "items"): number | null {
  const match = new RegExp(`at most (\\d+) ${unit}`).exec(typeof schema.description === "string" ? schema.description : "");
  return match ? Number(match[1]) : null;
}

function atLeast(schema: Schema): number | null {
  const match = /at least (\d+) items/.exec(typeof schema.description === "string" ? schema.description : "");
  return match ? Number(match[1]) : null;
}

/** How many values an array's object items can name by an enum property, if they have one. */
function enumSize(items: Schema, root: Schema): number | null {
  const resolved = typeof items.$ref === "string" ? resolveRef(items.$ref, root) : items;
  const properties = (resolved.properties ?? {}) as Record<string, Schema>;
  for (const property of Object.values(properties)) if (Array.isArray(property.enum)) return property.enum.length;
  return null;
}

function resolveRef(ref: string, root: Schema): Schema {
  return ref
    .replace(/^#\//, "")
    .split("/")
    .reduce<unknown>((node, part) => (node as Schema)?.[part], root) as Schema;
}

/** An unscripted free-text answer of typical length: a short report of about 300 words, in sections. */
export const TYPICAL_TEXT = ["Executive summary", "Findings", "Recommendations"].map((h) => `## ${h}\n${SENTENCE.repeat(4).trim()}`).join("\n\n");
