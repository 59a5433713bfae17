import { type MaskOptions, maskSecretsSync } from "../../secrets/mask.ts";
import { findTimestamp } from "./timestamps.ts";

/** The longest signature kept: enough to tell errors apart, short enough for the prompt's list. */
const MAX_SIGNATURE_CHARS = 200;

/**
 * How the incident responder shows a credential (in the description, in a log's signatures): as a placeholder like a
 * signature's <n> and <ip>, so that one error with different tokens is one signature. Logs and the description go to
 * the model and into the result, and a token pasted there must not be repeated in full.
 */
export const REDACTED: MaskOptions = { show: () => "<redacted>" };

/**
 * What is the same in every occurrence of an error: its message with the variable parts (numbers, ids, hex, UUIDs,
 * quoted strings, IPs, e-mail addresses) replaced by placeholders, and without its time. Access-log lines come down
 * to method, path and status; JSON and logfmt lines to their message and error fields.
 */
export function signatureOf(line: string): string {
  const found = findTimestamp(line);
  const timeless = found ? line.slice(0, found.index) + line.slice(found.index + found.length) : line;
  const core = accessRequest(timeless) ?? structuredMessage(timeless) ?? timeless;
  const normalised = normalise(maskSecretsSync(core, REDACTED));
  return normalised.length > MAX_SIGNATURE_CHARS ? `${normalised.slice(0, MAX_SIGNATURE_CHARS - 1)}…` : normalised;
}

function accessRequest(line: string): string | null {
  const m = /"([A-Z]{3,7}) (\S+) HTTP\/[\d.]+" (\d{3})\b/.exec(line);
  if (!m) return null;
  // The query string is mostly ids and search terms: the path says which endpoint failed.
  return `${m[1]} ${m[2]!.split("?")[0]} ${m[3]}`;
}

const MESSAGE_KEYS = ["msg", "message", "error", "err", "exception"];

function structuredMessage(line: string): string | null {
  const brace = line.indexOf("{");
  if (brace >= 0 && line.trimEnd().endsWith("}")) {
    try {
      const json: unknown = JSON.parse(line.slice(brace));
      if (json && typeof json === "object" && !Array.isArray(json)) return jsonMessage(json as Record<string, unknown>);
    } catch {
      // Not JSON after all: a brace inside a plain message.
    }
  }
  return logfmtMessage(line);
}

function jsonMessage(record: Record<string, unknown>): string | null {
  const parts: string[] = [];
  for (const key of MESSAGE_KEYS) {
    const value = record[key];
    const text = typeof value === "string" ? value : value && typeof value === "object" ? (value as Record<string, unknown>).message : undefined;
    if (typeof text === "string" && text.trim() && !parts.includes(text)) parts.push(text);
  }
  return parts.length ? parts.join(": ") : null;
}

function logfmtMessage(line: string): string | null {
  const parts: string[] = [];
  for (const key of MESSAGE_KEYS) {
    const m = new RegExp(`(?:^|\\s)${key}=("(?:[^"\\\\]|\\\\.)*"|\\S+)`).exec(line);
    if (!m) continue;
    const value = m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/\\(.)/g, "$1") : m[1]!;
    if (value && !parts.includes(value)) parts.push(value);
  }
  return parts.length ? parts.join(": ") : null;
}

/** The placeholders, in the order they are put in: earlier ones would be broken up by later ones. */
const PLACEHOLDERS: Array<[RegExp, string | ((match: string) => string)]> = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b/g, "<email>"],
  [/(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?![\d.])/g, "<ip>"],
  // IPv6, written with "::" or in full; a digit is required so that Ruby's Foo::Bar stays a name.
  [
    /(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?(?![\w:])/gi,
    (m) => (/\d/.test(m) ? "<ip>" : m),
  ],
  [/"(?:[^"\\]|\\.)*"/g, '"<str>"'],
  // Single quotes and backticks only around a word, so that the apostrophe of "can't" opens nothing.
  [/(?<!\w)'(?:[^'\\\n]|\\.)*'(?!\w)/g, "'<str>'"],
  [/(?<!\w)`[^`\n]*`(?!\w)/g, "`<str>`"],
  [/\b0x[0-9a-f]+\b/gi, "<hex>"],
  [/\b[0-9a-f]{8,}\b/gi, (m) => (/\d/.test(m) && /[a-f]/i.test(m) ? "<hex>" : m)],
  // Request, user and order ids: long tokens mixing letters with at least two digits (not "base64" or "sha256").
  [/(?<![\w<])[A-Za-z0-9_-]{8,64}(?![\w>])/g, (m) => (/[A-Za-z]/.test(m) && (m.match(/\d/g)?.length ?? 0) >= 2 ? "<id>" : m)],
  [/\d+/g, "<n>"],
  [/<n>(?:[.,:]<n>)+/g, "<n>"],
];

function normalise(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PLACEHOLDERS)
    out = typeof replacement === "string" ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  return out.replace(/\s+/g, " ").trim();
}
