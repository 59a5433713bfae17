import { type Cell, flattenValue, type Table, TableBuilder, unreadable } from "./table.ts";

/**
 * Strict JSON (JSON.parse) holding rows: an array of objects, or an object with exactly one property that is an
 * array of objects (`{"items": [...], "total": 2}`: the other properties are not rows and are left out). Nested
 * values become dotted fields (`address.city`, `tags.0`). Numbers keep JSON.parse's reading: a number past 2^53 has
 * already lost digits.
 */
export function readJson(text: string): Table {
  const source = text.replace(/^\uFEFF/, "");
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw unreadable(describe(source, (error as Error).message));
  }
  const rows = rowsOf(value);
  const table = new TableBuilder();
  rows.forEach((row, i) => {
    if (!isObject(row)) throw unreadable(`JSON: item ${i + 1} of the rows is ${kindOf(row)}; each row must be an object`);
    table.add((put) => {
      for (const [key, v] of Object.entries(row)) flattenValue(v, key, put);
    });
  });
  return table.build();
}

/** An array of objects, one per row, with every field in each (null where a row had none). */
export function writeJson(table: Table): string {
  const objects = table.rows.map((row) => Object.fromEntries(table.fields.map((field, j): [string, Cell] => [field, row[j] ?? null])));
  return JSON.stringify(objects, null, 2);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const kindOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`);
const isRowArray = (v: unknown): v is unknown[] => Array.isArray(v) && v.every(isObject);

const SHAPE = 'give an array of objects, or an object holding one such array (as {"items": [...]})';

function rowsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (!isObject(value)) throw unreadable(`JSON: the data is ${kindOf(value)}; ${SHAPE}`);
  const arrays = Object.values(value).filter(isRowArray);
  const filled = arrays.filter((a) => a.length > 0);
  if (filled.length === 1) return filled[0]!;
  if (filled.length === 0 && arrays.length === 1) return arrays[0]!;
  if (filled.length > 1) throw unreadable(`JSON: the object holds ${filled.length} arrays of objects, and which one holds the rows is not clear; ${SHAPE}`);
  throw unreadable(`JSON: the object holds no array of objects to read as rows; ${SHAPE}`);
}

/** JSON.parse's complaint with the line and column it happened at; Node 20 often names no position, so it is found here. */
function describe(text: string, message: string): string {
  const reason = message.replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, "").replace(/ in JSON at position \d+.*$/s, "");
  const given = /at position (\d+)/.exec(message);
  const offset = given ? Number(given[1]) : errorOffset(text);
  if (offset === null) return `JSON: ${reason}`;
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - before.lastIndexOf("\n");
  return `JSON line ${line}, column ${column}: ${reason}`;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings may not hold raw control characters; the class excludes them.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * Where JSON that JSON.parse refused stops being JSON: the offset of the first character no JSON text could have
 * there (the text's length when it ends too soon). A scan by the grammar with an explicit stack, so that deep
 * nesting cannot overflow; it only locates, JSON.parse has already judged.
 */
function errorOffset(text: string): number | null {
  const closers: string[] = [];
  let state: "value" | "firstValue" | "key" | "firstKey" | "colon" | "after" = "value";
  let i = 0;
  const match = (pattern: RegExp) => {
    pattern.lastIndex = i;
    return pattern.exec(text) ? pattern.lastIndex : -1;
  };
  for (;;) {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
    if (i >= text.length) return state === "after" && closers.length === 0 ? null : i;
    const c = text[i]!;
    if (state === "value" || state === "firstValue") {
      if (state === "firstValue" && c === "]") {
        closers.pop();
        i++;
        state = "after";
      } else if (c === "{" || c === "[") {
        closers.push(c === "{" ? "}" : "]");
        i++;
        state = c === "{" ? "firstKey" : "firstValue";
      } else {
        const end = c === '"' ? match(STRING) : Math.max(match(NUMBER), match(LITERAL));
        if (end < 0) return c === '"' ? stringErrorOffset(text, i) : i;
        i = end;
        state = "after";
      }
    } else if (state === "key" || state === "firstKey") {
      if (state === "firstKey" && c === "}") {
        closers.pop();
        i++;
        state = "after";
      } else if (c === '"') {
        const end = match(STRING);
        if (end < 0) return stringErrorOffset(text, i);
        i = end;
        state = "colon";
      } else return i;
    } else if (state === "colon") {
      if (c !== ":") return i;
      i++;
      state = "value";
    } else {
      const closer = closers.at(-1);
      if (closer === undefined) return i;
      if (c === ",") state = closer === "}" ? "key" : "value";
      else if (c === closer) closers.pop();
      else return i;
      i++;
    }
  }
}

/** In a string that does not scan: its first control character or bad escape, or the text's end if it never closes. */
function stringErrorOffset(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) return i;
    if (c === 0x5c) {
      const sequence = text.slice(i + 1, i + 6);
      if (!/^(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(sequence)) return i;
      i += sequence[0] === "u" ? 5 : 1;
    } else if (c === 0x22) return i;
  }
  return text.length;
}
