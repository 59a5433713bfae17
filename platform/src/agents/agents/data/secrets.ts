import { lintSource } from "@secretlint/core";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";

/**
 * What the agents show of data that may hold secrets (prompts, examples, top values): values of fields named like
 * secrets, `password: …` pairs, and what secretlint's recommended rules find (cloud keys, tokens, private keys) are
 * masked, a few characters kept so that the reader can tell which one it was.
 */

const SECRET_NAME = /passw(?:or)?d|passphrase|^pass$|^pwd$|secret|token|api[\s_.-]?key|private[\s_.-]?key|access[\s_.-]?key|credential/i;
const SECRET_PAIR = /\b(passw(?:or)?d|passphrase|pwd|secret|token|api[_-]?key)(\s*[:=]\s*)(["']?)([^\s"',;]{4,})/gi;

const config = { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommended }] };

export const isSecretName = (field: string) => SECRET_NAME.test(field);

/** A secret as shown: its first four characters when it is long enough that they give nothing away. */
export const mask = (secret: string) => `${secret.length >= 16 ? secret.slice(0, 4) : ""}…[hidden]`;

/** Each text with the secrets found in it masked; the texts are scanned together, as one document. */
export async function maskSecrets(texts: string[]): Promise<string[]> {
  const paired = texts.map((text) =>
    text.replace(SECRET_PAIR, (_, key: string, sep: string, quote: string, value: string) => `${key}${sep}${quote}${mask(value)}`),
  );
  const content = paired.join("\n");
  const { messages } = await lintSource({
    source: { content, filePath: "data.txt", ext: ".txt", contentType: "text" },
    options: { config, noPhysicFilePath: true },
  });
  if (messages.length === 0) return paired;
  const ranges = merged(messages.map((m) => m.range)).reverse();
  let start = 0;
  return paired.map((text) => {
    const end = start + text.length;
    let masked = text;
    // From the last range back, so that earlier offsets still hold.
    for (const [from, to] of ranges) {
      if (to <= start || from >= end) continue;
      const [a, b] = [Math.max(from, start) - start, Math.min(to, end) - start];
      masked = masked.slice(0, a) + mask(masked.slice(a, b)) + masked.slice(b);
    }
    start = end + 1;
    return masked;
  });
}

/** Ranges in order, those that overlap (two rules finding one key) made one. */
function merged(ranges: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  for (const [from, to] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const last = out.at(-1);
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}
