import { readCsv, writeCsv } from "./csv.ts";
import { readJson, writeJson } from "./json.ts";
import type { DataFormat, Table } from "./table.ts";
import { readXml, writeXml } from "./xml.ts";

/** Reads text in a format; what does not parse is a DomainError `invalid_input` that says where. */
export function readTable(text: string, format: DataFormat): Table & { leftOut: string[] } {
  if (format === "xml") return readXml(text);
  return { ...(format === "csv" ? readCsv(text) : readJson(text)), leftOut: [] };
}

export function writeTable(table: Table, format: DataFormat): string {
  return format === "csv" ? writeCsv(table) : format === "json" ? writeJson(table) : writeXml(table);
}

/** JSON when the text opens as JSON's rows do (`[` or `{`), CSV otherwise. */
export const detectFormat = (text: string): "csv" | "json" => (/^\uFEFF?\s*[[{]/.test(text) ? "json" : "csv");
