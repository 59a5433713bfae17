import { type DateText, readDate } from "./dates.ts";
import type { Cell } from "./table.ts";

/** What one value is; a field's type is the kind its values share (schema.ts). */
export type Kind = "empty" | "boolean" | "integer" | "number" | "date" | "email" | "string";

// Numbers as data files write them: no leading zeros (`02134` is a code, not a number), no sign but `-`, and
// thousands grouped by commas in threes (`1,234.50`). A currency sign makes text: dropping it would lose the currency.
const INTEGER = /^-?(?:0|[1-9]\d*)$/;
const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const GROUPED = /^-?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?$/;
const BOOLEAN = /^(?:true|false)$/i;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;

/** The number a value is (`1,234.50` is 1234.5), or null; integers past 2^53 are not numbers, as they cannot be exact. */
export function numberOf(cell: Cell): number | null {
  if (typeof cell === "number") return cell;
  if (typeof cell !== "string") return null;
  const text = cell.trim();
  const plain = GROUPED.test(text) ? text.replaceAll(",", "") : text;
  if (!DECIMAL.test(plain)) return null;
  const n = Number(plain);
  if (!Number.isFinite(n) || (INTEGER.test(plain) && !Number.isSafeInteger(n))) return null;
  return n;
}

/** Whether a numeric value's text groups thousands with commas, which cleaning takes out. */
export const isGrouped = (text: string) => GROUPED.test(text);

export const isEmpty = (cell: Cell) => cell === null || (typeof cell === "string" && cell.trim() === "");

/** A value's kind, and the date it reads as when it is one. Text is judged trimmed. */
export function kindOf(cell: Cell): { kind: Kind; date?: DateText } {
  if (cell === null) return { kind: "empty" };
  if (typeof cell === "boolean") return { kind: "boolean" };
  if (typeof cell === "number") return { kind: Number.isInteger(cell) ? "integer" : "number" };
  const text = cell.trim();
  if (text === "") return { kind: "empty" };
  if (BOOLEAN.test(text)) return { kind: "boolean" };
  const n = numberOf(text);
  if (n !== null) return { kind: /^-?[\d,]+$/.test(text) ? "integer" : "number" };
  const date = readDate(text);
  if (date) return { kind: "date", date };
  if (EMAIL.test(text)) return { kind: "email" };
  return { kind: "string" };
}
