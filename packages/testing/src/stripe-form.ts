import { HttpError } from "./stand-in.ts";

/** A value decoded from Stripe's bracket notation: `a[b][0]=x` is `{ a: { b: ["x"] } }`. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type Form = { [key: string]: FormValue };

/** What Stripe puts in `error`: the SDK turns it into a StripeError subclass chosen by the status and `type`. */
export interface StripeErrorBody {
  type: "invalid_request_error" | "card_error" | "idempotency_error" | "authentication_error" | "api_error";
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
  doc_url?: string;
}

/** Thrown to answer one of Stripe's errors, with its status and body. */
export class StripeError extends HttpError {
  constructor(
    status: number,
    readonly body: StripeErrorBody,
  ) {
    super(status, body.message);
  }
}

export const invalidRequest = (message: string, extra: Partial<StripeErrorBody> = {}) =>
  new StripeError(400, { type: "invalid_request_error", message, ...extra });

/** The error of an id that names nothing: 404 for the resource of the URL, 400 for an id among the parameters. */
export const noSuch = (object: string, id: string, param = "id") =>
  new StripeError(param === "id" ? 404 : 400, {
    type: "invalid_request_error",
    code: "resource_missing",
    param,
    message: `No such ${object}: '${id}'`,
    doc_url: "https://stripe.com/docs/error-codes/resource-missing",
  });

/**
 * Decodes a form body or a query string the way Stripe does. Keys nest by brackets; numeric keys (and `[]`, which
 * appends) make arrays, as the SDK writes `lookup_keys[0]=a&lookup_keys[1]=b`.
 */
export function parseForm(search: URLSearchParams): Form {
  const root: Form = {};
  for (const [key, value] of search) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
    if (!match) throw invalidRequest(`Invalid parameter name: ${key}`);
    const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    let node: Form = root;
    for (const [i, segment] of path.entries()) {
      const name = segment === "" ? String(Object.keys(node).length) : segment;
      if (i === path.length - 1) {
        if (typeof node[name] === "object") throw invalidRequest(`Invalid hash: ${key} is both a value and a hash`);
        node[name] = value;
        break;
      }
      const next = (node[name] ??= {});
      if (typeof next === "string") throw invalidRequest(`Invalid hash: ${key} is both a value and a hash`);
      node = next as Form;
    }
  }
  return arraysOf(root) as Form;
}

/** Turns the objects whose keys are all indexes into arrays, in index order. */
function arraysOf(value: FormValue): FormValue {
  if (typeof value === "string") return value;
  const entries = Object.entries(value).map(([k, v]) => [k, arraysOf(v)] as const);
  if (entries.length === 0 || !entries.every(([k]) => /^\d+$/.test(k))) return Object.fromEntries(entries);
  return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v);
}

/** Typed reads of a decoded form, refusing what Stripe refuses with its messages; `name` is the bracketed parameter. */
export class Params {
  constructor(
    private readonly values: Form,
    private readonly prefix = "",
  ) {}

  name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  has(key: string): boolean {
    return this.values[key] !== undefined;
  }

  string(key: string): string | undefined {
    const value = this.values[key];
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw invalidRequest(`Invalid string: ${this.name(key)} must be a string`, { param: this.name(key) });
    return value;
  }

  /** An empty string, which the SDK sends for `null`, counts as absent. */
  optional(key: string): string | null {
    return this.string(key) || null;
  }

  required(key: string): string {
    const value = this.string(key);
    if (!value) throw invalidRequest(`Missing required param: ${this.name(key)}.`, { code: "parameter_missing", param: this.name(key) });
    return value;
  }

  /** A three-letter ISO code, lowercased as Stripe keeps it. */
  currency(key = "currency"): string {
    const value = this.required(key).toLowerCase();
    if (!/^[a-z]{3}$/.test(value)) throw invalidRequest(`Invalid currency: ${value}`, { param: this.name(key) });
    return value;
  }

  integer(key: string): number | undefined {
    const value = this.string(key);
    if (value === undefined || value === "") return undefined;
    if (!/^-?\d+$/.test(value)) throw invalidRequest(`Invalid integer: ${value}`, { param: this.name(key) });
    return Number(value);
  }

  boolean(key: string): boolean | undefined {
    const value = this.string(key);
    if (value === undefined || value === "") return undefined;
    if (value !== "true" && value !== "false") throw invalidRequest(`Invalid boolean: ${value}`, { param: this.name(key) });
    return value === "true";
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined || value === "") return undefined;
    if (!allowed.includes(value as T)) throw invalidRequest(`Invalid ${this.name(key)}: must be one of ${allowed.join(", ")}`, { param: this.name(key) });
    return value as T;
  }

  strings(key: string): string[] | undefined {
    const value = this.values[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
      throw invalidRequest(`Invalid array: ${this.name(key)}`, { param: this.name(key) });
    return value as string[];
  }

  /** A timestamp filter: one second exactly, or a range of `gt`, `gte`, `lt` and `lte`. */
  range(key: string): { gt?: number; gte?: number; lt?: number; lte?: number } {
    if (typeof this.values[key] === "string") {
      const at = this.integer(key);
      return { gte: at, lte: at };
    }
    const range = this.object(key);
    return { gt: range.integer("gt"), gte: range.integer("gte"), lt: range.integer("lt"), lte: range.integer("lte") };
  }

  /** Metadata as Stripe keeps it: string values, an empty one meaning none. */
  metadata(key = "metadata"): Record<string, string> {
    const entries = Object.entries(this.object(key).values);
    if (!entries.every(([, v]) => typeof v === "string")) throw invalidRequest(`Invalid ${this.name(key)}: values must be strings`, { param: this.name(key) });
    return Object.fromEntries(entries.filter(([, v]) => v !== "")) as Record<string, string>;
  }

  object(key: string): Params {
    const value = this.values[key];
    if (value !== undefined && (typeof value !== "object" || Array.isArray(value)))
      throw invalidRequest(`Invalid object: ${this.name(key)} must be a hash`, { param: this.name(key) });
    return new Params((value ?? {}) as Form, this.name(key));
  }

  list(key: string): Params[] {
    const value = this.values[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) throw invalidRequest(`Invalid array: ${this.name(key)}`, { param: this.name(key) });
    return value.map((item, i) => {
      if (typeof item !== "object" || Array.isArray(item))
        throw invalidRequest(`Invalid object: ${this.name(key)}[${i}]`, { param: `${this.name(key)}[${i}]` });
      return new Params(item, `${this.name(key)}[${i}]`);
    });
  }
}
