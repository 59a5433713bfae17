import type { Span } from "./types.ts";

/** Line and column (both 1-based) of offsets in one text, and its lines without their line ends. */
export class LineIndex {
  /** Offset where each line starts. */
  private readonly starts: number[] = [0];
  readonly lines: string[];

  constructor(readonly text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
    this.lines = text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  }

  at(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1 };
  }

  /** Offset of the first character of a 1-based line. */
  startOf(line: number): number {
    return this.starts[line - 1] ?? this.text.length;
  }

  line(line: number): string {
    return this.lines[line - 1] ?? "";
  }
}

/** Bits of information per character: random keys score high (4+), words and placeholders low. */
export function shannonEntropy(value: string): number {
  if (!value) return 0;
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/**
 * A secret as anyone outside the scanner may see it: its first four characters and "…". A short secret shows less,
 * so that a mask never gives away a third or more of it.
 */
export function maskSecret(secret: string): string {
  const shown = secret.length >= 12 ? 4 : Math.floor(secret.length / 3);
  return `${secret.slice(0, shown)}…`;
}

/** A span to mask; `continued` when the secret began before the text the span is in (only "…" shows of it). */
export type MaskedSpan = Span & { continued?: boolean };

/**
 * The text with every span shown as `show` shows a secret (maskSecret by default). A span that covers line ends keeps
 * them, so that line numbers of the masked text are those of the original; a span that overlaps one before it shows
 * as "…", so that no secret gives away more than its start.
 */
export function maskSpans(text: string, spans: readonly MaskedSpan[], show: (secret: string) => string = maskSecret): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const span of sorted) {
    if (span.end <= at) continue;
    const start = Math.max(span.start, at);
    const hidden = text.slice(start, span.end);
    out += text.slice(at, start) + (start === span.start && !span.continued ? show(hidden) : "…") + "\n".repeat(hidden.split("\n").length - 1);
    at = span.end;
  }
  return out + text.slice(at);
}
