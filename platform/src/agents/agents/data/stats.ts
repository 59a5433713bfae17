import { clipText, type FieldSchema, type FieldType, isNumeric } from "./schema.ts";
import { cellText, type Table } from "./table.ts";
import { isEmpty, numberOf } from "./values.ts";

/** A field's figures, as report-generator's output has them. */
export interface FieldStats {
  field: string;
  type: string;
  /** Rows with a value here. */
  count: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  sum: number | null;
  top: { value: string; count: number }[];
}

/** The figures and what chart rules need besides: how many distinct values, and whether any number is negative. */
export interface FieldProfile extends FieldStats {
  type: FieldType;
  distinct: number;
  negative: boolean;
}

const TOP = 5;
const TOP_CHARS = 80;

/**
 * Per field: how many rows have a value; for numeric fields min, max, mean and sum; for the others the most
 * frequent values, unless every value is different (names, ids: nothing stands out) and there are more than TOP.
 */
export function fieldStats(table: Table, schema: FieldSchema[]): FieldProfile[] {
  return schema.map(({ name, type }, j) => {
    let count = 0;
    if (isNumeric(type)) {
      let [min, max, sum, negative] = [Infinity, -Infinity, 0, false];
      const values = new Set<number>();
      for (const row of table.rows) {
        const n = numberOf(row[j] ?? null);
        if (n === null) continue;
        count++;
        sum += n;
        min = Math.min(min, n);
        max = Math.max(max, n);
        negative ||= n < 0;
        values.add(n);
      }
      const figures = count === 0 ? { min: null, max: null, mean: null, sum: null } : { min, max, mean: round(sum / count), sum: round(sum) };
      return { field: name, type, count, ...figures, top: [], distinct: values.size, negative };
    }
    const counts = new Map<string, number>();
    for (const row of table.rows) {
      const cell = row[j] ?? null;
      if (isEmpty(cell)) continue;
      count++;
      const value = cellText(cell).trim();
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    const allDifferent = counts.size === count && count > TOP;
    const top = allDifferent
      ? []
      : [...counts]
          .sort((a, b) => b[1] - a[1])
          .slice(0, TOP)
          .map(([value, n]) => ({ value: clipText(value, TOP_CHARS), count: n }));
    return { field: name, type, count, min: null, max: null, mean: null, sum: null, top, distinct: counts.size, negative: false };
  });
}

/** Twelve significant digits: sums of decimals carry binary noise (0.1 + 0.2) that no reader wants. */
const round = (n: number) => Number(n.toPrecision(12));
