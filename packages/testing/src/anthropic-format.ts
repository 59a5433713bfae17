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

/** The JSON text of a small value that fits the request's format schema, or null when the request has none. */
export function formatExample(body: MessageCreateParams): string | null {
  const format = body.output_config?.format;
  if (format?.type !== "json_schema") return null;
  const root = format.schema as Schema;
  return JSON.stringify(example(root, root));
}

function example(schema: Schema, root: Schema): unknown {
  if (typeof schema.$ref === "string") {
    const target = schema.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<unknown>((node, part) => (node as Schema)?.[part], root);
    return example(target as Schema, root);
  }
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (variants?.length) return example(variants.find((v) => v.type !== "null") ?? variants[0]!, root);
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== "null") as string) : (schema.type as string | undefined);
  switch (type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set((schema.required ?? []) as string[]);
      return Object.fromEntries(Object.entries(properties).flatMap(([name, property]) => (required.has(name) ? [[name, example(property, root)]] : [])));
    }
    case "array":
      return schema.items ? [example(schema.items as Schema, root)] : [];
    case "string":
      return schema.format === "date-time" ? "2026-01-01T00:00:00Z" : schema.format === "email" ? "someone@example.com" : "example";
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
