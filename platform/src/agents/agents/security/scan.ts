import { languageOf, detectCode } from "./code.ts";
import { detectDependencies, type ManifestKind, manifestKind } from "./dependencies.ts";
import { detectHeaders } from "./headers.ts";
import { detectSecrets } from "../../secrets/secrets.ts";
import { LineIndex, maskSpans } from "../../secrets/text.ts";
import type { Finding } from "../../secrets/types.ts";
import { maskRandomTokens } from "./text.ts";
import { severityRank } from "./types.ts";

export interface ScanResult {
  /** One per rule and place, worst first, then by line. */
  findings: Finding[];
  /** The text with every secret masked, line for line: what may be shown of it. */
  masked: LineIndex;
  /** The secrets found, in full: only to scrub them from text written about them. Never shown or logged. */
  secrets: string[];
  /** What the scan could look at, for a summary that says what "nothing found" covered. */
  checked: { lines: number; responses: number; manifest: ManifestKind | null };
}

/** The deterministic scan: every detector over the text, no model. */
export async function scan(content: string, filename?: string): Promise<ScanResult> {
  const index = new LineIndex(content);
  const json = filename ? /\.json$/i.test(filename) : content.trimStart().startsWith("{");
  const secrets = await detectSecrets(index, { json });
  const headers = detectHeaders(index);
  const hidden = [...secrets, ...headers.findings].flatMap((f) => (f.secret ? [f.secret] : []));
  const masked = new LineIndex(maskSpans(content, hidden).split("\n").map(maskRandomTokens).join("\n"));
  const manifest = manifestKind(index, filename);
  const findings = [
    ...secrets,
    ...headers.findings,
    ...(manifest ? detectDependencies(index, manifest) : []),
    ...detectCode(index, masked, languageOf(filename)),
  ];
  return {
    findings: dedupe(findings).sort(bySeverityThenLine),
    masked,
    secrets: hidden.map((span) => content.slice(span.start, span.end)),
    checked: { lines: index.lines.length, responses: headers.responses, manifest },
  };
}

export const bySeverityThenLine = (a: Finding, b: Finding) =>
  severityRank(a.severity) - severityRank(b.severity) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0);

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}:${f.line}:${f.column ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
