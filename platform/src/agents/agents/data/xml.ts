import { XMLParser, XMLValidator } from "fast-xml-parser";
import { type Cell, cellText, type Table, TableBuilder, unreadable } from "./table.ts";

/** Attributes are read as fields named `@` and the attribute's name; a row's `@` fields are written back as attributes. */
const ATTRIBUTE_PREFIX = "@";
/** Text of an element that also has attributes or child elements. */
const TEXT = "#text";

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: ATTRIBUTE_PREFIX,
  textNodeName: TEXT,
  // Values stay text, as in CSV: types are the schema's to infer.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Character references (&#13;) are XML, not HTML; this is the switch that decodes them.
  htmlEntities: true,
});

/**
 * XML whose root element holds the rows: the root's child elements of the name that occurs most (`<rows><row>…`),
 * each row's child elements and attributes its fields (nested elements as dotted fields, `address.city`; repeated
 * ones numbered, `tag.0`). Other children of the root are not rows; `leftOut` names them.
 */
export function readXml(text: string): Table & { leftOut: string[] } {
  const checked = XMLValidator.validate(text);
  if (checked !== true) throw unreadable(`XML line ${checked.err.line}, column ${checked.err.col}: ${problem(checked.err.msg)}`);
  const document = parser.parse(text) as Record<string, unknown>;
  const [rootName, root] = Object.entries(document)[0] ?? [];
  if (rootName === undefined) throw unreadable("XML: there is no root element");
  if (typeof root === "string") {
    if (root.trim() === "") return { fields: [], rows: [], leftOut: [] };
    throw unreadable(`XML: the root element <${rootName}> holds text; the rows must be its child elements`);
  }
  const children = Object.entries(root as Record<string, unknown>).filter(([name]) => !name.startsWith(ATTRIBUTE_PREFIX) && name !== TEXT);
  const [rowName, rows] = children
    .map(([name, value]) => [name, Array.isArray(value) ? value : [value]] as const)
    .reduce<readonly [string, unknown[]] | null>((best, next) => (best && best[1].length >= next[1].length ? best : next), null) ?? ["", []];
  const table = new TableBuilder();
  for (const row of rows) table.add((put) => flattenElement(row, "", put));
  return { ...table.build(), leftOut: children.map(([name]) => name).filter((name) => name !== rowName) };
}

/**
 * The table as `<rows><row>…</row></rows>`, a child element per field. Field names that are not XML names are made
 * into one (characters other than letters, digits, `.`, `-` and `_` become `_`; `_` goes before a name that would
 * start with a digit or `xml`), so such a table does not read back with the same names.
 */
export function writeXml(table: Table): string {
  const attributes = new Set<number>();
  const taken = new Set<string>();
  const names = table.fields.map((field, j) => {
    const bare = field.slice(ATTRIBUTE_PREFIX.length);
    if (field.startsWith(ATTRIBUTE_PREFIX) && isXmlName(bare) && !taken.has(`@${bare}`)) {
      attributes.add(j);
      taken.add(`@${bare}`);
      return bare;
    }
    let name = xmlName(field);
    for (let n = 2; taken.has(name); n++) name = `${xmlName(field)}_${n}`;
    taken.add(name);
    return name;
  });
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<rows>"];
  for (const row of table.rows) {
    const attrs = [...attributes]
      .flatMap((j) => (row[j] === null ? [] : [` ${names[j]}="${escapeXml(cellText(row[j] ?? null), ATTRIBUTE_ESCAPES)}"`]))
      .join("");
    const elements = names.flatMap((name, j) => {
      if (attributes.has(j)) return [];
      const value = cellText(row[j] ?? null);
      return [value === "" ? `    <${name}/>` : `    <${name}>${escapeXml(value, TEXT_ESCAPES)}</${name}>`];
    });
    lines.push(elements.length === 0 ? `  <row${attrs}/>` : `  <row${attrs}>\n${elements.join("\n")}\n  </row>`);
  }
  lines.push("</rows>", "");
  return lines.join("\n");
}

/** The validator's message; the one for tags left open lists them as a JSON array, said here in words. */
function problem(message: string): string {
  const open = /^Invalid '(\[.*\])' found\.$/s.exec(message);
  if (!open) return message;
  try {
    return `the text ends with tags left open: ${(JSON.parse(open[1]!) as string[]).map((tag) => `<${tag}>`).join(", ")}`;
  } catch {
    return message;
  }
}

/** Flattens an element as the parser gives it: text, an object of children and `@` attributes, or an array of repeats. */
function flattenElement(node: unknown, key: string, put: (key: string, cell: Cell) => void): void {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) flattenElement(item, `${key}.${i}`, put);
    return;
  }
  if (typeof node !== "object" || node === null) {
    const text = node === null || node === undefined ? "" : String(node);
    // An empty row element (`<row/>`) is a row with no fields, not one with empty text.
    if (key || text.trim() !== "") put(key || TEXT, text);
    return;
  }
  const entries = Object.entries(node as Record<string, unknown>);
  // Attributes first, as they stand in the tag; the parser lists them after the children.
  entries.sort(([a], [b]) => Number(!a.startsWith(ATTRIBUTE_PREFIX)) - Number(!b.startsWith(ATTRIBUTE_PREFIX)));
  for (const [name, value] of entries) {
    if (name === TEXT) {
      // The indentation between child elements is layout, not a value.
      if (typeof value === "string" && value.trim() === "" && entries.length > 1) continue;
      put(key || TEXT, value as Cell);
    } else flattenElement(value, key ? `${key}.${name}` : name, put);
  }
}

const NAME_START = /[\p{L}_]/u;
const NAME_REST = /[\p{L}\p{N}._-]/u;
const isXmlName = (name: string) => /^[\p{L}_][\p{L}\p{N}._-]*$/u.test(name) && !/^xml/i.test(name);

function xmlName(field: string): string {
  const chars = [...field].map((c) => (NAME_REST.test(c) ? c : "_"));
  const name = chars.join("");
  return chars[0] !== undefined && NAME_START.test(chars[0]) && !/^xml/i.test(name) ? name : `_${name}`;
}

/** Characters XML 1.0 cannot hold at all, even escaped: they become U+FFFD. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the control characters XML 1.0 forbids.
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// A carriage return is escaped so that it survives: a parser turns a literal CRLF into LF.
const TEXT_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;" };
// In an attribute a literal line break or tab would be read back as a space.
const ATTRIBUTE_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;" };

const escapeXml = (value: string, escapes: Record<string, string>) => value.replace(NOT_XML, "\ufffd").replace(/[&<>"\r\n\t]/g, (c) => escapes[c] ?? c);
