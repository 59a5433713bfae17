import { byteLength } from "../../prompt.ts";

/** Bytes kept for the line that says what was left out. */
export const LEFT_OUT_BYTES = 40;

/** The first lines that fit in `bytes` (a new line after each), then one saying how many `what` were left out. */
export function linesWithin(lines: string[], bytes: number, what: string): string[] {
  let used = LEFT_OUT_BYTES;
  const kept = lines.findIndex((line) => (used += byteLength(line) + 1) > bytes);
  return kept < 0 ? lines : [...lines.slice(0, kept), `[… ${lines.length - kept} more ${what} not shown]`];
}
