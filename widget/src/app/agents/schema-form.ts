// An agent's input form, from the JSON Schema the platform hands out (zod's toJSONSchema of the agent's input,
// platform/src/agents/catalogue.ts): which fields, which controls, which checks. Pure, so it is tested without a
// DOM; form.tsx draws it. The checks mirror the schema's limits so a visitor hears of a mistake before a run is
// asked for; the platform checks again, and its word is final.
import { fill, type Strings } from "../strings.ts";
import type { JsonSchema } from "../types.ts";

interface Base {
  /** The value's path in the input, dotted: "options.clean". */
  name: string;
  label: string;
  description?: string;
  required: boolean;
}

export type Field =
  | (Base & { kind: "text" | "textarea" | "email"; minLength?: number; maxLength?: number; pattern?: string; defaultValue?: string })
  | (Base & { kind: "number"; integer: boolean; minimum?: number; maximum?: number; defaultValue?: number })
  | (Base & { kind: "select"; options: string[]; defaultValue?: string })
  | (Base & { kind: "checkbox"; defaultValue?: boolean })
  | (Base & { kind: "list"; maxItems?: number; itemMaxLength?: number; defaultValue?: string[] })
  | (Base & { kind: "group"; fields: Field[] })
  /** Anything else the schema may hold, edited as JSON rather than refused. */
  | (Base & { kind: "json"; defaultValue?: unknown });

/** What the form holds: text for every control but checkboxes. */
export type Values = Record<string, string | boolean>;

/** Longer than this, text gets a text area. */
const LONG_TEXT = 200;

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/** "affectedUsers" and "customer_email" as labels, for properties without a title. */
export const humanize = (key: string) => {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export function fieldsOf(schema: JsonSchema, prefix = ""): Field[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const fields: Field[] = [];
  for (const [key, p] of Object.entries(properties)) {
    const type = Array.isArray(p.type) ? (p.type as string[]).find((t) => t !== "null") : str(p.type);
    const base: Base = {
      name: prefix + key,
      label: str(p.title) ?? humanize(key),
      // A property with a default is filled in by the platform when left out: never required of the visitor.
      required: required.includes(key) && p.default === undefined,
    };
    const description = str(p.description);
    if (description) base.description = description;
    if (Array.isArray(p.enum)) {
      fields.push({ ...base, kind: "select", options: p.enum.map(String), defaultValue: str(p.default) });
    } else if (type === "string") {
      const maxLength = num(p.maxLength);
      const kind = p.format === "email" ? "email" : maxLength === undefined || maxLength > LONG_TEXT ? "textarea" : "text";
      fields.push({ ...base, kind, minLength: num(p.minLength), maxLength, pattern: str(p.pattern), defaultValue: str(p.default) });
    } else if (type === "integer" || type === "number") {
      fields.push({ ...base, kind: "number", integer: type === "integer", minimum: num(p.minimum), maximum: num(p.maximum), defaultValue: num(p.default) });
    } else if (type === "boolean") {
      fields.push({ ...base, kind: "checkbox", defaultValue: typeof p.default === "boolean" ? p.default : undefined });
    } else if (type === "array" && (p.items as JsonSchema | undefined)?.type === "string") {
      const items = p.items as JsonSchema;
      fields.push({
        ...base,
        kind: "list",
        maxItems: num(p.maxItems),
        itemMaxLength: num(items.maxLength),
        defaultValue: Array.isArray(p.default) ? p.default.map(String) : undefined,
      });
    } else if (type === "object" && p.properties) {
      fields.push({ ...base, kind: "group", fields: fieldsOf(p, `${base.name}.`) });
    } else {
      fields.push({ ...base, kind: "json", defaultValue: p.default });
    }
  }
  return fields;
}

/** Each field's starting value: the schema's default, else empty (a required choice starts on its first option). */
export function initialValues(fields: Field[], values: Values = {}): Values {
  for (const f of fields) {
    if (f.kind === "group") initialValues(f.fields, values);
    else if (f.kind === "checkbox") values[f.name] = f.defaultValue ?? false;
    else if (f.kind === "number") values[f.name] = f.defaultValue === undefined ? "" : String(f.defaultValue);
    else if (f.kind === "select") values[f.name] = f.defaultValue ?? (f.required ? (f.options[0] ?? "") : "");
    else if (f.kind === "list") values[f.name] = (f.defaultValue ?? []).join("\n");
    else if (f.kind === "json") values[f.name] = f.defaultValue === undefined ? "" : JSON.stringify(f.defaultValue, null, 2);
    else values[f.name] = f.defaultValue ?? "";
  }
  return values;
}

const lines = (v: string) =>
  v
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

function check(f: Exclude<Field, { kind: "group" }>, value: string | boolean, s: Strings): string | undefined {
  if (f.kind === "checkbox") return undefined;
  const v = String(value);
  if (!v.trim()) return f.required ? s.fieldRequired : undefined;
  switch (f.kind) {
    case "text":
    case "textarea":
    case "email": {
      if (f.maxLength !== undefined && v.length > f.maxLength) return fill(s.fieldMaxLength, f.maxLength);
      if (f.minLength !== undefined && v.trim().length < f.minLength) return fill(s.fieldMinLength, f.minLength);
      if (f.pattern) {
        try {
          if (!new RegExp(f.pattern).test(v.trim())) return s.fieldFormat;
        } catch {
          // A pattern this browser cannot read is the platform's to check.
        }
      }
      return undefined;
    }
    case "number": {
      const n = Number(v);
      if (!Number.isFinite(n)) return s.fieldNumber;
      if (f.integer && !Number.isInteger(n)) return s.fieldInteger;
      if (f.minimum !== undefined && n < f.minimum) return fill(s.fieldMin, f.minimum);
      if (f.maximum !== undefined && n > f.maximum) return fill(s.fieldMax, f.maximum);
      return undefined;
    }
    case "list": {
      const items = lines(v);
      if (f.maxItems !== undefined && items.length > f.maxItems) return fill(s.fieldMaxItems, f.maxItems);
      if (f.itemMaxLength !== undefined && items.some((i) => i.length > f.itemMaxLength!)) return fill(s.fieldItemLength, f.itemMaxLength);
      return undefined;
    }
    case "json":
      try {
        JSON.parse(v);
        return undefined;
      } catch {
        return s.fieldJson;
      }
    default:
      return f.options.includes(v) ? undefined : s.fieldFormat;
  }
}

/** The visitor's mistakes, by field name; empty when the form may be sent. */
export function validate(fields: Field[], values: Values, s: Strings, errors: Record<string, string> = {}): Record<string, string> {
  for (const f of fields) {
    if (f.kind === "group") validate(f.fields, values, s, errors);
    else {
      const error = check(f, values[f.name] ?? "", s);
      if (error) errors[f.name] = error;
    }
  }
  return errors;
}

/** The run's input: typed values, empty optional fields left out so the platform's defaults apply. */
export function toInput(fields: Field[], values: Values): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const f of fields) {
    const key = f.name.slice(f.name.lastIndexOf(".") + 1);
    const v = values[f.name];
    if (f.kind === "group") input[key] = toInput(f.fields, values);
    else if (f.kind === "checkbox") input[key] = v === true;
    else if (typeof v !== "string" || !v.trim()) continue;
    else if (f.kind === "number") input[key] = Number(v);
    else if (f.kind === "list") input[key] = lines(v);
    else if (f.kind === "json") input[key] = JSON.parse(v);
    else input[key] = v;
  }
  return input;
}
