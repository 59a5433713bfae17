/** A part of a document under one heading path: what chunking works on. */
export interface Section {
  headingPath: string[];
  text: string;
}

export interface Chunk {
  headingPath: string[];
  text: string;
}

/** About 300 words a chunk, the last 50 repeated at the start of the next, so an answer cut in two is found whole. */
export const CHUNK_WORDS = 300;
export const OVERLAP_WORDS = 50;

const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** Markdown sections by heading, keeping the path of headings above each (`# A` → `## B` gives ["A", "B"]). */
export function markdownSections(markdown: string): Section[] {
  const sections: Section[] = [];
  const path: string[] = [];
  let lines: string[] = [];
  let inFence = false;
  const flush = () => {
    const text = lines.join("\n").trim();
    if (text) sections.push({ headingPath: [...path], text });
    lines = [];
  };
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) {
      lines.push(line);
      continue;
    }
    flush();
    const depth = heading[1]!.length;
    path.splice(depth - 1);
    while (path.length < depth - 1) path.push("");
    path.push(heading[2]!.trim());
  }
  flush();
  return sections.map((s) => ({ ...s, headingPath: s.headingPath.filter(Boolean) }));
}

/** Splits each section into chunks of about CHUNK_WORDS words along paragraphs, then sentences, with overlap. */
export function chunkSections(sections: Section[]): Chunk[] {
  const chunks: Chunk[] = [];
  for (const section of sections) {
    const pieces = section.text
      .split(/\n\s*\n/)
      .flatMap((paragraph) => (words(paragraph).length > CHUNK_WORDS ? splitLong(paragraph) : [paragraph.trim()]))
      .filter(Boolean);
    let current: string[] = [];
    let count = 0;
    const emit = () => {
      if (count === 0) return;
      chunks.push({ headingPath: section.headingPath, text: current.join("\n\n") });
      // Carry the tail into the next chunk of this section.
      const tail = words(current.join(" ")).slice(-OVERLAP_WORDS).join(" ");
      current = [tail];
      count = 0;
    };
    for (const piece of pieces) {
      const n = words(piece).length;
      if (count > 0 && count + n > CHUNK_WORDS) emit();
      current.push(piece);
      count += n;
    }
    if (count > 0) chunks.push({ headingPath: section.headingPath, text: current.join("\n\n") });
  }
  return chunks;
}

/** A paragraph longer than a chunk: by sentences, and a sentence longer than a chunk by words. */
function splitLong(paragraph: string): string[] {
  const sentences = paragraph.match(/[^.!?]+[.!?]*\s*/g) ?? [paragraph];
  const out: string[] = [];
  let current = "";
  for (const sentence of sentences) {
    if (words(sentence).length > CHUNK_WORDS) {
      if (current.trim()) out.push(current.trim());
      current = "";
      const w = words(sentence);
      for (let i = 0; i < w.length; i += CHUNK_WORDS) out.push(w.slice(i, i + CHUNK_WORDS).join(" "));
      continue;
    }
    if (words(current + sentence).length > CHUNK_WORDS) {
      out.push(current.trim());
      current = "";
    }
    current += sentence;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}
