// An agent's "run now" form, from the JSON Schema the platform hands out (agents.list's inputSchema, zod's
// toJSONSchema of the agent's input): which fields and which controls. The same reading as the widget's
// (widget/src/app/agents/schema-form.ts), for a plain HTML form: the browser checks what its attributes can say,
// the platform checks everything, and its word is final.

type JsonSchema = Record<string, unknown>;

interface Base {
  /** The value's path in the input, dotted ("options.clean"); the form field is `input.<path>`, as the platform's errors name it. */
  path: string;
  label: string;
  description?: string | undefined;
  required: boolean;
}

export type SchemaField =
  | (Base & {
      kind: "text" | "textarea" | "email";
      minLength?: number | undefined;
      maxLength?: number | undefined;
      defaultValue?: string | undefined;
      format?: string | undefined;
    })
  | (Base & { kind: "number"; integer: boolean; minimum?: number | undefined; maximum?: number | undefined; defaultValue?: number | undefined })
  | (Base & { kind: "select"; options: string[]; defaultValue?: string | undefined })
  | (Base & { kind: "checkbox"; defaultValue: boolean })
  | (Base & { kind: "list"; maxItems?: number | undefined; itemMaxLength?: number | undefined; defaultValue?: string[] | undefined })
  | (Base & { kind: "group"; fields: SchemaField[] })
  /** Anything else the schema may hold, written as JSON rather than refused. */
  | (Base & { kind: "json"; defaultValue?: unknown });

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

export const formName = (path: string) => `input.${path}`;

export function fieldsOf(schema: JsonSchema, prefix = ""): SchemaField[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  return Object.entries(properties).map(([key, p]): SchemaField => {
    const type = Array.isArray(p.type) ? (p.type as string[]).find((t) => t !== "null") : str(p.type);
    const base: Base = {
      path: prefix + key,
      label: str(p.title) ?? humanize(key),
      description: str(p.description),
      // A property with a default is filled in by the platform when left out: never required of the user.
      required: required.includes(key) && p.default === undefined,
    };
    if (Array.isArray(p.enum)) return { ...base, kind: "select", options: p.enum.map(String), defaultValue: str(p.default) };
    if (type === "string") {
      const maxLength = num(p.maxLength);
      const kind = p.format === "email" ? "email" : maxLength === undefined || maxLength > LONG_TEXT ? "textarea" : "text";
      return { ...base, kind, minLength: num(p.minLength), maxLength, defaultValue: str(p.default), format: str(p.format) };
    }
    if (type === "integer" || type === "number") {
      return { ...base, kind: "number", integer: type === "integer", minimum: num(p.minimum), maximum: num(p.maximum), defaultValue: num(p.default) };
    }
    if (type === "boolean") return { ...base, kind: "checkbox", defaultValue: p.default === true };
    if (type === "array" && (p.items as JsonSchema | undefined)?.type === "string") {
      const items = p.items as JsonSchema;
      return {
        ...base,
        kind: "list",
        maxItems: num(p.maxItems),
        itemMaxLength: num(items.maxLength),
        defaultValue: Array.isArray(p.default) ? p.default.map(String) : undefined,
      };
    }
    if (type === "object" && p.properties) return { ...base, kind: "group", fields: fieldsOf(p, `${base.path}.`) };
    return { ...base, kind: "json", defaultValue: p.default };
  });
}

const lines = (v: string) =>
  v
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

export interface ReadForm {
  /** The run's input: typed values, empty optional fields left out so that the platform's defaults apply. */
  input: Record<string, unknown>;
  /** What was typed, by form field name, to fill the form again when the platform refuses it. */
  values: Record<string, string>;
  /** Mistakes found before asking the platform (JSON that does not parse), by form field name. */
  errors: Record<string, string[]>;
}

/**
 * The input a posted form describes. An unchecked checkbox is absent from a form post, so a checkbox's value is
 * whether it was sent: the form always holds every field.
 */
export function readForm(fields: SchemaField[], form: FormData, read: ReadForm = { input: {}, values: {}, errors: {} }): ReadForm {
  for (const f of fields) {
    const name = formName(f.path);
    const key = f.path.slice(f.path.lastIndexOf(".") + 1);
    if (f.kind === "group") {
      const inner = readForm(f.fields, form, { input: {}, values: read.values, errors: read.errors });
      read.input[key] = inner.input;
      continue;
    }
    if (f.kind === "checkbox") {
      const checked = form.get(name) !== null;
      read.values[name] = checked ? "on" : "";
      read.input[key] = checked;
      continue;
    }
    const raw = form.get(name);
    const value = typeof raw === "string" ? raw : "";
    read.values[name] = value;
    if (!value.trim()) continue;
    if (f.kind === "number") read.input[key] = Number(value);
    else if (f.kind === "list") read.input[key] = lines(value);
    else if (f.kind === "json") {
      try {
        read.input[key] = JSON.parse(value);
      } catch {
        read.errors[name] = ["is not valid JSON"];
      }
    } else read.input[key] = value.trim();
  }
  return read;
}

/** A field's starting text, as the form shows it. */
export function initialText(f: Exclude<SchemaField, { kind: "group" | "checkbox" }>): string {
  if (f.defaultValue === undefined) return "";
  if (f.kind === "list") return f.defaultValue.join("\n");
  if (f.kind === "json") return JSON.stringify(f.defaultValue, null, 2);
  return String(f.defaultValue);
}
