import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { invalidInput } from "../errors.ts";

const MAX_PAGES = 2000;

/** The text of a PDF, page by page (pdfjs, no rendering). A file that is not a PDF is a clear 400. */
export async function pdfToText(bytes: Uint8Array): Promise<string> {
  let pdf: Awaited<ReturnType<typeof getDocument>["promise"]>;
  try {
    // pdfjs wants a plain Uint8Array (not a Buffer), and transfers it: give it a copy.
    pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  } catch {
    throw invalidInput("The file is not a readable PDF", { content: ["is not a PDF"] });
  }
  try {
    if (pdf.numPages > MAX_PAGES) throw invalidInput(`A PDF is at most ${MAX_PAGES} pages; this one has ${pdf.numPages}`, { content: ["too many pages"] });
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
      page.cleanup();
    }
    return pages.join("\n\n");
  } finally {
    await pdf.destroy();
  }
}
