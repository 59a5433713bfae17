import type { SignatureCount } from "./logs.ts";

export interface StatusDraft {
  title: string;
  status: "investigating" | "identified" | "monitoring" | "resolved";
  message: string;
}

const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])/g;
const IPV6 = /(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?(?![\w:])/gi;
/** Domains only a private network resolves. */
const INTERNAL_DOMAIN =
  /\b[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,8}\.(?:internal|local|localdomain|lan|corp|intra|intranet|private|svc|cluster\.local|home\.arpa)\b/gi;
/** A host named by the line: the syslog header's, a host= or "pod": field, host:port, or a URL's. */
const HOST_SOURCES = [
  /^(?:<\d{1,3}>)?[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d (\S+) /gm,
  /\b(?:host|hostname|server|node|pod|instance|upstream|backend|container)"?\s*[:=]\s*"?([A-Za-z0-9][\w.-]{0,252})/gi,
  /(?<![\w.:-])([a-z][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,8}):\d{2,5}\b/gi,
  /\b[a-z][a-z0-9+.-]{0,20}:\/\/(?:[^\s@/]{1,256}@)?([A-Za-z0-9][\w.-]{0,252})/gi,
];
/** host:port also matches source files ("app.py:42"), which are not hosts. */
const SOURCE_FILE = /\.(?:py|js|mjs|cjs|ts|tsx|jsx|java|kt|scala|go|rb|php|c|cc|cpp|h|hpp|rs|cs|ex|exs|swift)$/i;
/** Public domains a URL may name: the outside world's, not the tenant's infrastructure. */
const PUBLIC_DOMAIN = /\.(?:com|org|net|io|dev|app|co|ai|cloud)$/i;

/**
 * Names of the tenant's infrastructure found in `text`: IP addresses and host names (ones that look like host
 * names, with a dot, a dash or a digit, so that "api" or "checkout" stay words a customer may read).
 */
export function internalNames(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(IPV4)) names.add(m[0]);
  for (const m of text.matchAll(IPV6)) if (/\d/.test(m[0])) names.add(m[0].toLowerCase());
  for (const m of text.matchAll(INTERNAL_DOMAIN)) names.add(m[0].toLowerCase());
  for (const pattern of HOST_SOURCES) {
    for (const m of text.matchAll(pattern)) {
      const host = m[1]!.replace(/[.-]+$/, "").toLowerCase();
      if (host.length < 4 || !/[.\-\d]/.test(host) || SOURCE_FILE.test(host) || (host.includes(".") && PUBLIC_DOMAIN.test(host))) continue;
      names.add(host);
    }
  }
  return [...names];
}

/** Exception and error-code names: internal vocabulary a status page should not show. */
const IDENTIFIERS = [
  /\b(?:[A-Z][a-z0-9]+)+(?:Exception|Error)\b/g,
  /\bE(?:CONNREFUSED|CONNRESET|CONNABORTED|TIMEDOUT|NOTFOUND|PIPE|ADDRINUSE|HOSTUNREACH|NETUNREACH|AI_AGAIN|MFILE|NOSPC|NOMEM|ACCES|PERM)\b/g,
  // Qualified names: java.lang.IllegalStateException, app.services.billing.
  /\b[a-z_][\w$]*(?:\.[A-Za-z_$][\w$]*){2,}\b/g,
  /(?:\/[\w.-]+){2,}/g,
];
/** A stretch of a signature's own words this long is its text, not a phrase a status page would happen to use. */
const MIN_FRAGMENT_CHARS = 24;

/** What of the signatures a status page must not repeat: their distinctive identifiers and long literal stretches. */
export function signatureTerms(signatures: SignatureCount[]): string[] {
  const terms = new Set<string>();
  for (const { signature } of signatures) {
    for (const pattern of IDENTIFIERS) for (const m of signature.matchAll(pattern)) terms.add(m[0]);
    for (const fragment of signature.split(/<\w+>|["'`]/)) {
      const trimmed = fragment.replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, "");
      if (trimmed.length >= MIN_FRAGMENT_CHARS && trimmed.split(/\s+/).length >= 3) terms.add(trimmed);
    }
  }
  return [...terms];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const termPattern = (term: string) => new RegExp(`(?<![\\w.-])${escapeRegExp(term).replace(/\s+/g, "\\s+")}(?![\\w-]|\\.\\w)`, "i");

const termsIn = (text: string, terms: string[]) => terms.filter((term) => termPattern(term).test(text));

/** The terms `draft` contains, in either its title or its message. */
export const leaksIn = (draft: StatusDraft, terms: string[]) => termsIn(`${draft.title}\n${draft.message}`, terms);

const FALLBACK_TITLE = "Service disruption";
const FALLBACK_MESSAGE = "We are investigating an issue affecting our service. We will post an update as soon as we know more.";

/**
 * The draft without the sentences that carry a leaked term: a sentence cut in the middle reads worse than one left
 * out. A title that leaks, or a message left empty, becomes a plain generic one.
 */
export function stripLeaks(draft: StatusDraft, terms: string[]): StatusDraft {
  const leaks = (text: string) => termsIn(text, terms).length > 0;
  const sentences = draft.message.split(/(?<=[.!?])\s+|\n+/).filter((s) => s.trim() && !leaks(s));
  return {
    title: leaks(draft.title) ? FALLBACK_TITLE : draft.title,
    status: draft.status,
    message: sentences.length ? sentences.join(" ") : FALLBACK_MESSAGE,
  };
}
