import { GENERIC_SECRET, isPlaceholder, SECRET_RULES } from "./secret-rules.ts";
import { type SecretCandidate, secretlintCandidates } from "./secretlint.ts";
import { type LineIndex, maskSecret, shannonEntropy } from "./text.ts";
import { type Finding, findingOf, type Span } from "./types.ts";

/** Evidence is a line's worth at most. */
const EVIDENCE_CHARS = 120;

/**
 * Every secret in the text: secretlint's recommended preset, this module's own rules for what the preset lacks, and
 * an entropy check of values assigned to secret-sounding names. Where finds overlap, the most specific rule keeps the
 * place; each finding's `secret` span is what must be masked wherever the text is shown.
 */
export async function detectSecrets(index: LineIndex, options: { json: boolean }): Promise<Finding[]> {
  const candidates = [...(await secretlintCandidates(index.text, options.json)), ...ownCandidates(index)];
  return claimed(index, candidates).map((candidate) => toFinding(index, candidate));
}

/**
 * Where the secrets are that the own rules and the entropy check find, without secretlint: for code that cannot wait
 * for a promise (secretlint's only entry point, lintSource, is asynchronous).
 */
export function ownSecretSpans(index: LineIndex): Span[] {
  return claimed(index, ownCandidates(index)).map((candidate) => candidate.secret);
}

const ownCandidates = (index: LineIndex) => [...ruleCandidates(index), ...genericCandidates(index.text)];

/** The candidates that are secrets rather than placeholders, each place taken by the most specific rule. */
function claimed(index: LineIndex, candidates: SecretCandidate[]): SecretCandidate[] {
  const text = index.text;
  const taken = new SpanSet(index);
  return candidates
    .map((c) => ({ ...c, secret: trimSpan(text, c.secret) }))
    .filter((c) => c.secret.end > c.secret.start && !isPlaceholder(text.slice(c.secret.start, c.secret.end)))
    .sort((a, b) => a.priority - b.priority || a.secret.start - b.secret.start)
    .filter((c) => taken.add(c.secret));
}

function ruleCandidates(index: LineIndex): SecretCandidate[] {
  const candidates: SecretCandidate[] = [];
  for (const rule of SECRET_RULES) {
    for (const match of index.text.matchAll(rule.pattern)) {
      const at = match.indices?.groups?.secret;
      if (!at) continue;
      const secret = match.groups!.secret!;
      if (rule.accept && !rule.accept(secret, index.line(index.at(at[0]).line), match as RegExpExecArray)) continue;
      candidates.push({
        rule,
        priority: rule.priority,
        secret: { start: at[0], end: at[1] },
        context: { start: match.index, end: match.index + match[0].length },
      });
    }
  }
  return candidates;
}

/**
 * `name = value` where the name ends in a secret word (password, token, api_key…): JSON, YAML, .env, INI and the
 * assignments of most languages. The name's start must not follow a word character, so a long run of text is tried
 * once, not from each of its characters.
 */
const ASSIGNMENT =
  /(?<![\w.-])(?:[A-Za-z_][\w.-]{0,60}?)?(?:password|passwd|pwd|secret|token|(?:api|secret|signing|encryption|master|private|access|auth)[_-]?key|apikey|client[_-]?secret|credentials?)["']?[ \t]*(?::=|=>|=|:)[ \t]*(?:(?<quote>["'`])(?<quoted>[^"'`\n]{8,200})\k<quote>|(?<bare>[^\s"'`,;#]{8,200}))/dgi;

function genericCandidates(text: string): SecretCandidate[] {
  const candidates: SecretCandidate[] = [];
  for (const match of text.matchAll(ASSIGNMENT)) {
    const quoted = match.groups?.quoted;
    const value = quoted ?? match.groups!.bare!;
    if (!looksRandom(value, quoted === undefined)) continue;
    const at = match.indices!.groups![quoted === undefined ? "bare" : "quoted"]!;
    candidates.push({
      rule: GENERIC_SECRET,
      priority: GENERIC_SECRET.priority,
      secret: { start: at[0], end: at[1] },
      context: { start: match.index, end: match.index + match[0].length },
    });
  }
  return candidates;
}

/** A hard-coded secret rather than code, a reference, a path or a word: mixed characters with high entropy. */
function looksRandom(value: string, bare: boolean): boolean {
  if (/^(?:https?:|\.{0,2}\/)/i.test(value) || value.includes("-----BEGIN")) return false;
  if (bare) {
    // Code, not a value: a call, an index, a type, or a property path (config.db.password, match.groups!.secret).
    if (/[()[\]{}<>]/.test(value) || /^[A-Za-z_$][\w$]*!?(?:\??\.[A-Za-z_$][\w$]*!?)+$/.test(value)) return false;
    // A bare identifier is a variable or a type unless it is long, has digits and is random.
    if (/^[A-Za-z_$][\w$]*$/.test(value) && !(value.length >= 16 && /\d/.test(value) && shannonEntropy(value) >= 3.5)) return false;
  }
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((c) => c.test(value)).length;
  return classes >= 2 && shannonEntropy(value) >= 3;
}

/** Leading and trailing white space and escaped line ends belong to the context, not to the secret. */
export function trimSpan(text: string, span: Span): Span {
  let { start, end } = span;
  for (;;) {
    if (start < end && /\s/.test(text[start]!)) start++;
    else if (text.startsWith("\\n", start) && start + 2 <= end) start += 2;
    else break;
  }
  for (;;) {
    if (end > start && /\s/.test(text[end - 1]!)) end--;
    else if (end - 2 >= start && text.startsWith("\\n", end - 2)) end -= 2;
    else break;
  }
  return { start, end };
}

function toFinding(index: LineIndex, { rule, secret, context }: SecretCandidate): Finding {
  const text = index.text;
  const masked = `${text.slice(context.start, secret.start)}${maskSecret(text.slice(secret.start, secret.end))}${text.slice(secret.end, context.end)}`;
  // Quotes and separators that closed the value belong to the code, not to what was found.
  const evidence = masked
    .replace(/\\n|\s+/g, " ")
    .trim()
    .replace(/["'`,;]+$/, "");
  // A secret over several lines (a PEM body) is reported where its block starts.
  const multiline = text.slice(secret.start, secret.end).includes("\n");
  return findingOf(
    rule,
    "secret",
    index.at(multiline ? context.start : secret.start),
    evidence.length > EVIDENCE_CHARS ? `${evidence.slice(0, EVIDENCE_CHARS)}…` : evidence,
    secret,
  );
}

/** Spans already claimed, kept per line so that overlap checks stay cheap with thousands of finds. */
class SpanSet {
  private readonly byLine = new Map<number, Span[]>();

  constructor(private readonly index: LineIndex) {}

  /** Claims the span unless it overlaps one already claimed. */
  add(span: Span): boolean {
    const first = this.index.at(span.start).line;
    const last = this.index.at(Math.max(span.start, span.end - 1)).line;
    for (let line = first; line <= last; line++) {
      if (this.byLine.get(line)?.some((s) => s.start < span.end && span.start < s.end)) return false;
    }
    for (let line = first; line <= last; line++) {
      const spans = this.byLine.get(line) ?? [];
      spans.push(span);
      this.byLine.set(line, spans);
    }
    return true;
  }
}
