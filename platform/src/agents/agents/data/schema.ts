import type { fieldTypes } from "@bizbot/shared";
import { type DateOrder, dateOrder } from "./dates.ts";
import { type Cell, cellText, type Table } from "./table.ts";
import { type Kind, kindOf, numberOf } from "./values.ts";

export type FieldType = (typeof fieldTypes)[number];

export interface FieldSchema {
  name: string;
  /** The kind every non-empty value shares (integers among decimals make `number`); `mixed` when they differ. */
  type: FieldType;
  /** Some row has no value here (null, missing, or blank text). */
  nullable: boolean;
  /** The first few distinct values, clipped. */
  examples: string[];
  /** How the field's day-and-month dates read (dates.ts), when its values settle it. */
  dateOrder: DateOrder;
}

const EXAMPLES = 3;
const EXAMPLE_CHARS = 60;

export function inferSchema(table: Table): FieldSchema[] {
  return table.fields.map((name, j) => {
    const kinds = new Set<Kind>();
    const examples = new Set<string>();
    const numericDates: { first: number; second: number }[] = [];
    let nullable = false;
    for (const row of table.rows) {
      const cell = row[j] ?? null;
      const { kind, date } = kindOf(cell);
      if (kind === "empty") {
        nullable = true;
        continue;
      }
      kinds.add(kind);
      if (date?.kind === "numeric") numericDates.push(date);
      if (examples.size < EXAMPLES) examples.add(clipText(cellText(cell).trim(), EXAMPLE_CHARS));
    }
    return { name, type: typeOf(kinds), nullable, examples: [...examples], dateOrder: dateOrder(numericDates) };
  });
}

function typeOf(kinds: Set<Kind>): FieldType {
  if (kinds.size === 0) return "empty";
  if (kinds.size === 2 && kinds.has("integer") && kinds.has("number")) return "number";
  if (kinds.size > 1) return "mixed";
  return [...kinds][0]!;
}

export const isNumeric = (type: FieldType) => type === "integer" || type === "number";

/**
 * A row as typed JSON values: numbers in numeric fields, booleans in boolean ones, and null for a blank value in
 * either or in an empty field. Other fields keep their cells as they are (a date stays text: JSON has no dates).
 */
export function typedRow(row: Cell[], schema: FieldSchema[]): Cell[] {
  return row.map((cell, j) => {
    const type = schema[j]!.type;
    if (typeof cell !== "string") return cell;
    const text = cell.trim();
    if (type === "empty" || ((isNumeric(type) || type === "boolean") && text === "")) return null;
    if (isNumeric(type)) return numberOf(text) ?? cell;
    if (type === "boolean") return text.toLowerCase() === "true";
    return cell;
  });
}

/** At most `max` characters of `text`, an ellipsis marking a cut. */
export const clipText = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
