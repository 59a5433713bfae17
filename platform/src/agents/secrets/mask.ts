import { MASK_RULES } from "./secret-rules.ts";
import { detectSecrets, ownSecretSpans, trimSpan } from "./secrets.ts";
import { LineIndex, type MaskedSpan, maskSpans } from "./text.ts";

export interface MaskOptions {
  /** How a secret shows: by default its first characters and "…" (maskSecret). */
  show?: (secret: string) => string;
}

/**
 * Each text with its secrets masked: what the detectors find (secretlint's recommended preset, the own rules, the
 * entropy check of assigned values) and what the looser masking rules find. Texts given together are scanned as one
 * document, so that many short ones (a table's values) cost one secretlint run.
 */
export function maskSecrets(text: string, options?: MaskOptions): Promise<string>;
export function maskSecrets(texts: readonly string[], options?: MaskOptions): Promise<string[]>;
export async function maskSecrets(input: string | readonly string[], options: MaskOptions = {}): Promise<string | string[]> {
  return typeof input === "string" ? (await maskAll([input], options))[0]! : maskAll(input, options);
}

async function maskAll(texts: readonly string[], options: MaskOptions): Promise<string[]> {
  const joined = texts.join("\n");
  const found = (await detectSecrets(new LineIndex(joined), { json: false })).flatMap((f) => (f.secret ? [f.secret] : []));
  let start = 0;
  return texts.map((text) => {
    const end = start + text.length;
    const pieces = found
      .filter((s) => s.start < end && s.end > start)
      .map((s) => ({ start: Math.max(s.start, start) - start, end: Math.min(s.end, end) - start, continued: s.start < start }));
    start = end + 1;
    return masked(text, [...pieces, ...maskRuleSpans(text)], options);
  });
}

/**
 * The text with its secrets masked, for code that cannot wait for a promise (a log's lines, read one at a time): the
 * own rules, the entropy check and the looser masking rules, without secretlint, whose only entry point is
 * asynchronous (and which would cost a run per line).
 */
export function maskSecretsSync(text: string, options: MaskOptions = {}): string {
  return masked(text, [...ownSecretSpans(new LineIndex(text)), ...maskRuleSpans(text)], options);
}

function maskRuleSpans(text: string): MaskedSpan[] {
  const spans: MaskedSpan[] = [];
  for (const rule of MASK_RULES) {
    for (const match of text.matchAll(rule.pattern)) {
      const at = match.indices?.groups?.secret;
      if (!at || (rule.accept && !rule.accept(match.groups!.secret!, match))) continue;
      const span = trimSpan(text, { start: at[0], end: at[1] });
      if (span.end > span.start) spans.push(span);
    }
  }
  return spans;
}

/** The text with the spans masked, overlapping ones made one so that each secret shows once. */
function masked(text: string, spans: MaskedSpan[], options: MaskOptions): string {
  const merged: MaskedSpan[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start || b.end - a.end)) {
    const last = merged.at(-1);
    if (!last || span.start >= last.end) merged.push({ ...span });
    else {
      last.end = Math.max(last.end, span.end);
      if (span.start === last.start && span.continued) last.continued = true;
    }
  }
  return maskSpans(text, merged, options.show);
}
