import { isoDate, readDate } from "./dates.ts";
import { clipText, type FieldSchema, isNumeric } from "./schema.ts";
import type { Cell, Table } from "./table.ts";
import { isGrouped } from "./values.ts";

/** One change cleaning made; `row` is 1-based in the input, header excluded. */
export interface Change {
  row: number;
  field: string;
  rule: "trim" | "number" | "date" | "email" | "duplicate";
  from: string;
  to: string;
}

export interface Cleaned {
  table: Table;
  /** The first MAX_LISTED_CHANGES changes, in row order. */
  changes: Change[];
  changeCount: number;
}

export const MAX_LISTED_CHANGES = 500;
/** A change quotes at most this much of a value: a cell can be long, and 500 of them are listed. */
const QUOTED_CHARS = 200;

/**
 * Cleans a table whose schema was inferred from it, each change listed:
 * - trim: text loses leading and trailing white space;
 * - number: in a numeric field, thousands separators go (`1,234.50` → `1234.50`; typed JSON reads 1234.5);
 * - date: in a date field, dates become ISO 8601 (YYYY-MM-DD) where their reading is certain; day-and-month dates
 *   (`05/03/2024`) only when the field's values settle the order (dates.ts); dates with a time are left as they are;
 * - email: in an e-mail field, addresses are lowercased;
 * - duplicate: a row identical to an earlier one once cleaned is dropped.
 * Fields of other types (text, mixed) are only trimmed.
 */
export function cleanTable(table: Table, schema: FieldSchema[]): Cleaned {
  const changes: Change[] = [];
  let changeCount = 0;
  const record = (change: Change) => {
    changeCount++;
    if (changes.length < MAX_LISTED_CHANGES) changes.push({ ...change, from: clipText(change.from, QUOTED_CHARS), to: clipText(change.to, QUOTED_CHARS) });
  };
  const firstSeen = new Map<string, number>();
  const rows: Cell[][] = [];
  table.rows.forEach((input, i) => {
    const row = i + 1;
    const cleaned = input.map((cell, j) => {
      if (typeof cell !== "string") return cell;
      const { name: field, type, dateOrder } = schema[j]!;
      let value = cell.trim();
      if (value !== cell) record({ row, field, rule: "trim", from: cell, to: value });
      const change = (rule: Change["rule"], to: string | null) => {
        if (to === null || to === value) return;
        record({ row, field, rule, from: value, to });
        value = to;
      };
      if (isNumeric(type) && isGrouped(value)) change("number", value.replaceAll(",", ""));
      if (type === "date") {
        const date = readDate(value);
        change("date", date && isoDate(date, dateOrder));
      }
      if (type === "email") change("email", value.toLowerCase());
      return value;
    });
    const key = JSON.stringify(cleaned);
    const earlier = firstSeen.get(key);
    if (earlier === undefined) {
      firstSeen.set(key, row);
      rows.push(cleaned);
    } else record({ row, field: "", rule: "duplicate", from: `the same as row ${earlier}`, to: "(row removed)" });
  });
  return { table: { fields: table.fields, rows }, changes, changeCount };
}
