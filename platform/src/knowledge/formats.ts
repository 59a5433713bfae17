import { invalidInput } from "../errors.ts";
import { chunkSections, markdownSections, type Chunk } from "./chunking.ts";
import { htmlToText } from "./html.ts";

/** `pdf` content is the file in base64; its text is extracted before chunking (service.ts). */
export const documentFormats = ["text", "markdown", "html", "faq-json", "faq-csv", "pdf"] as const;
export type DocumentFormat = (typeof documentFormats)[number];

export interface FaqEntry {
  question: string;
  answer: string;
}

/** Chunks of a document by its format. One FAQ entry is one chunk, with its question as its heading. */
export function chunkDocument(format: DocumentFormat, content: string): Chunk[] {
  const chunks = chunksOf(format, content);
  if (chunks.length === 0) throw invalidInput("The document has no text to index", { content: ["has no text"] });
  return chunks;
}

function chunksOf(format: DocumentFormat, content: string): Chunk[] {
  switch (format) {
    case "text":
    case "pdf":
      return chunkSections([{ headingPath: [], text: content }]);
    case "markdown":
      return chunkSections(markdownSections(content));
    case "html":
      return chunkSections(markdownSections(htmlToText(content).text));
    case "faq-json":
      return faqChunks(parseFaqJson(content));
    case "faq-csv":
      return faqChunks(parseFaqCsv(content));
  }
}

function faqChunks(entries: FaqEntry[]): Chunk[] {
  if (entries.length === 0) throw invalidInput("The FAQ has no entries", { content: ["no question and answer found"] });
  return entries.map((e) => ({ headingPath: [e.question], text: e.answer }));
}

export function parseFaqJson(content: string): FaqEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    throw invalidInput("The FAQ is not valid JSON", { content: ["must be a JSON array of {question, answer}"] });
  }
  if (!Array.isArray(parsed)) throw invalidInput("The FAQ must be a JSON array of {question, answer}", { content: ["not an array"] });
  return parsed.map((item, i) => {
    const entry = item as Partial<FaqEntry>;
    if (typeof entry?.question !== "string" || typeof entry?.answer !== "string" || !entry.question.trim() || !entry.answer.trim()) {
      throw invalidInput(`FAQ entry ${i} needs a non-empty question and answer`, { [`content.${i}`]: ["needs question and answer strings"] });
    }
    return { question: entry.question.trim(), answer: entry.answer.trim() };
  });
}

/** CSV with a question and an answer column (by header name, or the first two columns), RFC 4180 quoting. */
export function parseFaqCsv(content: string): FaqEntry[] {
  const rows = parseCsv(content).filter((row) => row.some((cell) => cell.trim()));
  if (rows.length === 0) return [];
  const header = rows[0]!.map((cell) => cell.trim().toLowerCase());
  const q = header.indexOf("question");
  const a = header.indexOf("answer");
  const [qi, ai, body] = q >= 0 && a >= 0 ? [q, a, rows.slice(1)] : [0, 1, rows];
  return body.map((row, i) => {
    const question = row[qi]?.trim() ?? "";
    const answer = row[ai]?.trim() ?? "";
    if (!question || !answer) throw invalidInput(`CSV row ${i + 1} needs a question and an answer`, { content: [`row ${i + 1} is incomplete`] });
    return { question, answer };
  });
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (quoted) throw invalidInput("The CSV has an unclosed quote", { content: ["unclosed quote"] });
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
