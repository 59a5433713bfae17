import type { dataFormats } from "@bizbot/shared";
import { DomainError } from "../../../errors.ts";

/**
 * A cell as the formats give it: CSV and XML give text, JSON also numbers, booleans and null. A field missing from
 * a row is null.
 */
export type Cell = string | number | boolean | null;

/** Every format is read into this and written from it: named fields, and rows of cells in the fields' order. */
export interface Table {
  fields: string[];
  rows: Cell[][];
}

export type DataFormat = (typeof dataFormats)[number];

/** A cell as text: what CSV and XML write, and what types are inferred from. */
export const cellText = (cell: Cell): string => (cell === null ? "" : String(cell));

/** Input that does not parse: the run fails as the caller's mistake, and is not charged. */
export const unreadable = (message: string) => new DomainError("invalid_input", message);

/**
 * Rows of nested values as a table: nested objects and arrays become dotted keys (`address.city`, `tags.0`), the
 * fields in the order they are first met, and a field a row lacks is null in it. Maps, not objects, hold the keys,
 * so that a key such as `__proto__` is data like any other.
 */
export class TableBuilder {
  private readonly index = new Map<string, number>();
  private readonly fields: string[] = [];
  private readonly rows: Map<number, Cell>[] = [];

  /** Adds a row; `flatten` calls `put` for each of its values. */
  add(flatten: (put: (key: string, cell: Cell) => void) => void): void {
    const row = new Map<number, Cell>();
    flatten((key, cell) => {
      let column = this.index.get(key);
      if (column === undefined) {
        column = this.fields.push(key) - 1;
        this.index.set(key, column);
      }
      row.set(column, cell);
    });
    this.rows.push(row);
  }

  build(): Table {
    const width = this.fields.length;
    return { fields: this.fields, rows: this.rows.map((row) => Array.from({ length: width }, (_, j) => row.get(j) ?? null)) };
  }
}

/** Puts a JSON value under `key`, its nested objects and arrays as dotted keys; an empty object or array is null. */
export function flattenValue(value: unknown, key: string, put: (key: string, cell: Cell) => void): void {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    put(key, value);
    return;
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value as object);
  if (entries.length === 0) put(key, null);
  for (const [k, v] of entries) flattenValue(v, `${key}.${k}`, put);
}
