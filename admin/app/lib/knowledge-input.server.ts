// What the knowledge page's forms turn into documents: uploaded files by their kind, and an FAQ written as
// `Q:` / `A:` lines. The platform's document formats are platform/src/knowledge/formats.ts; it checks the
// content again (text that is binary, an FAQ without entries, a PDF without text) and says why.

type DocumentFormat = "text" | "markdown" | "html" | "faq-json" | "faq-csv" | "pdf";

/** The platform's limit per document (platform/src/knowledge/ingest.ts); refused here before the upload goes on. */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** At most this many files in one upload, so that one form post stays a reasonable request. */
export const MAX_FILES = 20;

const byExtension: Record<string, DocumentFormat> = {
  md: "markdown",
  markdown: "markdown",
  mdx: "markdown",
  txt: "text",
  text: "text",
  log: "text",
  html: "html",
  htm: "html",
  json: "faq-json",
  csv: "faq-csv",
  pdf: "pdf",
};

export const ACCEPTED_EXTENSIONS = Object.keys(byExtension).map((e) => `.${e}`);

const megabytes = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

export type FileDocument = { ok: true; title: string; content: string; format: DocumentFormat } | { ok: false; error: string };

/** A document from an uploaded file: its name without the extension as the title, its text (a PDF in base64). */
export async function documentFromFile(file: File): Promise<FileDocument> {
  const extension = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? "";
  const format = byExtension[extension];
  if (!format) {
    return {
      ok: false,
      error: `${file.name} is not a kind of file the knowledge base reads. Upload ${ACCEPTED_EXTENSIONS.join(", ")} files, or save it as PDF or text first.`,
    };
  }
  if (file.size > MAX_DOCUMENT_BYTES)
    return { ok: false, error: `${file.name} is ${megabytes(file.size)}; a document is at most 10 MB. Split it into smaller files.` };
  if (file.size === 0) return { ok: false, error: `${file.name} is empty.` };
  const title = (file.name.replace(/\.[^.]+$/, "").trim() || file.name).slice(0, 300);
  const content = format === "pdf" ? Buffer.from(await file.arrayBuffer()).toString("base64") : await file.text();
  return { ok: true, title, content, format };
}

export interface FaqEntry {
  question: string;
  answer: string;
}

const QUESTION = /^\s*(?:q|question)\s*[:.)]\s*/i;
const ANSWER = /^\s*(?:a|answer)\s*[:.)]\s*/i;

/**
 * An FAQ written as `Q: …` and `A: …` lines; a line without either marker continues the part before it, so answers
 * may run over several lines. Refuses, with the line at fault, text before the first question and a question with
 * no answer.
 */
export function parseFaq(text: string): { ok: true; entries: FaqEntry[] } | { ok: false; error: string } {
  const entries: Array<{ question: string[]; answer: string[] | null; line: number }> = [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  for (const [i, line] of lines.entries()) {
    const current = entries.at(-1);
    if (QUESTION.test(line)) {
      entries.push({ question: [line.replace(QUESTION, "")], answer: null, line: i + 1 });
    } else if (ANSWER.test(line)) {
      if (!current) return { ok: false, error: `Line ${i + 1} is an answer before any question: start with a line “Q: …”.` };
      if (current.answer) return { ok: false, error: `Line ${i + 1} is a second answer to the question on line ${current.line}.` };
      current.answer = [line.replace(ANSWER, "")];
    } else if (current) {
      (current.answer ?? current.question).push(line);
    } else if (line.trim()) {
      return { ok: false, error: `Line ${i + 1} comes before the first question: start each question with “Q:” and its answer with “A:”.` };
    }
  }
  if (entries.length === 0) return { ok: false, error: "Write at least one question (“Q: …”) and its answer (“A: …”)." };
  const result: FaqEntry[] = [];
  for (const entry of entries) {
    const question = entry.question.join(" ").replace(/\s+/g, " ").trim();
    const answer = (entry.answer ?? []).join("\n").trim();
    if (!question) return { ok: false, error: `The question on line ${entry.line} is empty.` };
    if (!answer) return { ok: false, error: `The question on line ${entry.line} (“${question.slice(0, 60)}”) has no answer: add a line “A: …” after it.` };
    result.push({ question, answer });
  }
  return { ok: true, entries: result };
}
