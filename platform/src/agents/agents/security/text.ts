import { maskSecret, shannonEntropy } from "../../secrets/text.ts";

/**
 * Long random-looking tokens that no detector claimed, masked all the same before a line leaves the scanner: 24+
 * characters mixing lower case, upper case and digits with high entropy. Identifiers and hex hashes stay readable.
 */
export function maskRandomTokens(line: string): string {
  return line.replace(/[A-Za-z0-9+/=_-]{24,}/g, (token) =>
    /[a-z]/.test(token) && /[A-Z]/.test(token) && /\d/.test(token) && shannonEntropy(token) >= 4 ? maskSecret(token) : token,
  );
}

/** At most `max` characters of a line, around `column` when it is far in, marked where cut. */
export function clipLine(line: string, max: number, column = 1): string {
  const trimmed = line.trim();
  if (trimmed.length <= max) return trimmed;
  const lead = line.length - line.trimStart().length;
  const from = Math.max(0, Math.min(column - 1 - lead - Math.floor(max / 3), trimmed.length - max));
  return `${from > 0 ? "…" : ""}${trimmed.slice(from, from + max)}${from + max < trimmed.length ? "…" : ""}`;
}
