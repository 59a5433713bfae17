import type { securityScannerOutput } from "@bizbot/shared";
import type { z } from "zod";
import { byteLength } from "../../prompt.ts";
import type { ScanResult } from "./scan.ts";
import { maskSecret } from "../../secrets/text.ts";
import type { Finding, Severity } from "../../secrets/types.ts";
import { clipLine } from "./text.ts";
import { SEVERITIES, severityRank } from "./types.ts";

type Output = z.input<typeof securityScannerOutput>;
type OutputFinding = Output["findings"][number];

/** The most findings the model is shown; the rest keep the detectors' words. */
export const MAX_REVIEWED = 40;
/** The most findings a result lists; the counts still cover them all. */
export const MAX_LISTED = 500;
const CONTEXT_CHARS = 140;
const NOTE_CHARS = 600;
const SUMMARY_CHARS = 2000;

/** What the model answers about the findings it was shown (the agent's model schema has this shape). */
export interface ModelReview {
  summary: string;
  ranking: string[];
  notes: Array<{
    id: string;
    explanation: string;
    fix: string;
    likelyFalsePositive: boolean;
    falsePositiveReason: string | null;
    severity: Severity | null;
  }>;
}

/** The ids the model sees for the findings it is shown: f1, f2… in the order shown. */
export const reviewIds = (count: number) => Array.from({ length: count }, (_, i) => `f${i + 1}`);

/**
 * The findings the model is shown, worst first, as long as they fit `maxBytes`: each with its evidence and its line, both
 * masked, the line clipped around the finding. The text holds no secret: evidence is masked by the detectors
 * and lines come from the masked text.
 */
export function buildMaterial(result: ScanResult, filename: string | undefined, maxBytes: number): { text: string; reviewed: Finding[] } {
  const { findings, masked, checked } = result;
  const header = (shown: number) =>
    [
      `File: ${filename ? clipLine(filename, 100) : "(no name given)"}, ${checked.lines} lines.`,
      `Findings: ${findings.length} (${countsText(countBySeverity(findings))}). Shown: ${shown} of ${findings.length}, most severe first.`,
    ].join("\n");
  const entries: string[] = [];
  // The header is written last, with the count shown; it is never longer than with every finding shown.
  let bytes = byteLength(header(findings.length)) + 1;
  for (const [i, finding] of findings.slice(0, MAX_REVIEWED).entries()) {
    const entry = describe(`f${i + 1}`, finding, masked.line(finding.line));
    if (bytes + byteLength(entry) + 1 > maxBytes) break;
    entries.push(entry);
    bytes += byteLength(entry) + 1;
  }
  return { text: [header(entries.length), ...entries].join("\n"), reviewed: findings.slice(0, entries.length) };
}

function describe(id: string, f: Finding, line: string): string {
  const where = `line ${f.line}${f.column ? `:${f.column}` : ""}`;
  const context = clipLine(line, CONTEXT_CHARS, f.column);
  // A line that already shows the evidence need not repeat it.
  const evidence = context.includes(f.evidence) ? "" : `\n  evidence: ${f.evidence}`;
  return `${id} ${f.severity} ${f.category} ${f.rule} ${where}${evidence}\n  line: ${context}`;
}

/**
 * The result: the model's words where it gave them (checked: only ids it was shown), the detectors' elsewhere.
 * Ranked findings come first in the model's order, then the others by severity and line. A note can raise a
 * finding's severity, never lower it, and can mark it a likely false positive without removing it. Every text the
 * model wrote is cleaned of the scanned secrets, in case one got through.
 */
export function applyReview(result: ScanResult, reviewed: Finding[], review: ModelReview): Output {
  const ids = new Map(reviewed.map((f, i) => [f, `f${i + 1}`]));
  const notes = new Map<string, ModelReview["notes"][number]>();
  for (const note of review.notes) if (!notes.has(note.id)) notes.set(note.id, note);
  const rank = new Map<string, number>();
  for (const id of review.ranking) if (!rank.has(id)) rank.set(id, rank.size);
  const clean = (text: string, max: number) => scrub(text.trim(), result.secrets).slice(0, max);

  const merged = result.findings.map((finding) => {
    const id = ids.get(finding);
    const note = id ? notes.get(id) : undefined;
    const out = toOutput(finding);
    if (note) {
      if (note.explanation.trim()) out.explanation = clean(note.explanation, NOTE_CHARS);
      if (note.fix.trim()) out.fix = clean(note.fix, NOTE_CHARS);
      if (note.severity && severityRank(note.severity) < severityRank(finding.severity)) out.severity = note.severity;
      if (note.likelyFalsePositive) {
        out.likelyFalsePositive = true;
        if (note.falsePositiveReason?.trim()) out.falsePositiveReason = clean(note.falsePositiveReason, NOTE_CHARS);
      }
    }
    const ranked = id === undefined ? undefined : rank.get(id);
    return { out, rank: ranked ?? Number.POSITIVE_INFINITY, finding };
  });
  merged.sort(
    (a, b) =>
      a.rank - b.rank ||
      severityRank(a.out.severity) - severityRank(b.out.severity) ||
      a.finding.line - b.finding.line ||
      (a.finding.column ?? 0) - (b.finding.column ?? 0),
  );
  const findings = merged.map((m) => m.out);
  const summary = clean(review.summary, SUMMARY_CHARS) || `The scan found ${findings.length} problem${findings.length === 1 ? "" : "s"}.`;
  return listed(findings, summary);
}

/** A result without the model: nothing was found, and what was looked at. */
export function nothingFound(result: ScanResult, filename?: string): Output {
  const { lines, responses, manifest } = result.checked;
  const what = filename ? clipLine(filename, 100) : "the content";
  const checks = [
    "secrets (API keys, tokens, private keys, passwords in URLs and assignments)",
    responses > 0 ? `security headers of ${responses} HTTP response${responses === 1 ? "" : "s"}` : "security headers (no HTTP response found)",
    manifest ? `dependencies of the ${manifest} against a bundled list of known vulnerable versions` : "dependencies (no manifest recognised)",
    "injection-prone code patterns",
  ];
  return listed([], `No problems were found in ${what} (${lines} line${lines === 1 ? "" : "s"}). Checked: ${checks.join("; ")}.`);
}

function listed(findings: OutputFinding[], summary: string): Output {
  const counts = countBySeverity(findings);
  if (findings.length <= MAX_LISTED) return { findings, summary, counts };
  return { findings: findings.slice(0, MAX_LISTED), summary: `${summary} Only the first ${MAX_LISTED} of ${findings.length} findings are listed.`, counts };
}

function toOutput(f: Finding): OutputFinding {
  return {
    rule: f.rule,
    category: f.category,
    severity: f.severity,
    line: f.line,
    ...(f.column !== undefined ? { column: f.column } : {}),
    evidence: f.evidence,
    explanation: f.explanation,
    fix: f.fix,
    likelyFalsePositive: false,
  };
}

function countBySeverity(findings: Array<{ severity: Severity }>): Output["counts"] {
  const counts = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

const countsText = (counts: Output["counts"]) =>
  SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${s}`)
    .join(", ");

/** Any full secret in a text the model wrote, masked. */
function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(maskSecret(secret));
  return out;
}
