import { CsvError, parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { type Cell, cellText, type Table, unreadable } from "./table.ts";

/**
 * CSV as RFC 4180 has it: the first record is the header, fields may be quoted (`""` a quote within), records end
 * with CRLF or LF, and a quoted field may hold delimiters and line breaks. The delimiter is the comma, or the
 * semicolon or tab when the header line holds more of those (spreadsheets in many locales write them). Blank lines
 * are skipped; a record whose field count differs from the header's is an error, not a guess.
 */
export function readCsv(text: string): Table {
  let records: string[][];
  try {
    records = parse(text, { bom: true, delimiter: delimiterOf(text), skip_empty_lines: true });
  } catch (error) {
    if (error instanceof CsvError) throw unreadable(describe(error, text));
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) throw unreadable("CSV: there is no header row");
  return { fields: fieldNames(header), rows };
}

/** The table as CSV with a header row and CRLF record ends; fields are quoted only when they must be. */
export function writeCsv(table: Table): string {
  if (table.fields.length === 0) return "";
  const text = (row: Cell[]) => row.map(cellText);
  return stringify([table.fields, ...table.rows.map(text)], {
    record_delimiter: "windows",
    // csv-stringify quotes a CRLF but not a lone LF or CR, which a reader would take for a record's end.
    quoted_match: /[\r\n]/,
    // A one-field row that is empty would be a blank line, which readers skip: quoted, it stays a row.
    quoted_empty: table.fields.length === 1,
  });
}

const DELIMITERS = [",", ";", "\t"] as const;

function delimiterOf(text: string): string {
  const end = text.search(/\r?\n/);
  const firstLine = (end < 0 ? text : text.slice(0, end)).replace(/"[^"]*"/g, "");
  let best: string = ",";
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = firstLine.split(delimiter).length - 1;
    if (count > bestCount) [best, bestCount] = [delimiter, count];
  }
  return best;
}

/** Header names as given; an empty one (an index column's, say) is named for its place, and a repeated one is an error. */
function fieldNames(header: string[]): string[] {
  const names = header.map((name, i) => (name === "" ? `column_${i + 1}` : name));
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw unreadable(`CSV line 1: the header names the field "${name.slice(0, 100)}" twice; field names must be unique`);
    seen.add(name);
  }
  return names;
}

function describe(error: CsvError, text: string): string {
  const line = Number(error.lines) || 1;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return `CSV line ${lineAtByte(text, Number(error.bytes_records))}: a quoted field that starts in this record is never closed`;
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH":
      return `CSV line ${line}: ${Array.isArray(error.record) ? error.record.length : "a different number of"} fields where the header has ${fieldCount(error.message)}`;
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return `CSV line ${line}: a character follows a closing quote; within a quoted field a quote is written twice ("")`;
    case "INVALID_OPENING_QUOTE":
      return `CSV line ${line}: a quote within an unquoted field; quote the whole field and write the quote twice ("")`;
    default:
      return `CSV line ${line}: ${error.message}`;
  }
}

/** The 1-based line on which the byte at `offset` of the text's UTF-8 falls. */
function lineAtByte(text: string, offset: number): number {
  const before = Buffer.from(text).subarray(0, Number.isFinite(offset) ? offset : 0);
  let line = 1;
  for (const byte of before) if (byte === 0x0a) line++;
  return line;
}

const fieldCount = (message: string) => /expect (\d+)/.exec(message)?.[1] ?? "another number";
