import { type Change, cleanTable } from "./clean.ts";
import { readTable, writeTable } from "./formats.ts";
import { type FieldSchema, inferSchema, typedRow } from "./schema.ts";
import type { DataFormat, Table } from "./table.ts";

export interface ConvertOptions {
  from: DataFormat;
  to: DataFormat;
  /** JSON output gets numbers, booleans and nulls where the schema says so; CSV and XML are text either way. */
  inferTypes: boolean;
  clean: boolean;
}

export interface Converted {
  output: string;
  /** The table written, cleaned when asked, with its cells untyped. */
  table: Table;
  schema: FieldSchema[];
  changes: Change[];
  changeCount: number;
  /** XML elements beside the rows, not read (xml.ts). */
  leftOut: string[];
}

/**
 * Data from one format to another, the model nowhere: read, infer the schema, clean (then infer again, as the
 * values have changed), type, write. With neither option the values pass through as they were read.
 */
export function convert(text: string, options: ConvertOptions): Converted {
  const { leftOut, ...read } = readTable(text, options.from);
  let table: Table = read;
  let schema = inferSchema(table);
  let changes: Change[] = [];
  let changeCount = 0;
  if (options.clean) {
    ({ table, changes, changeCount } = cleanTable(table, schema));
    schema = inferSchema(table);
  }
  const typed = options.inferTypes && options.to === "json" ? { fields: table.fields, rows: table.rows.map((row) => typedRow(row, schema)) } : table;
  return { output: writeTable(typed, options.to), table, schema, changes, changeCount, leftOut };
}
