import type { findingCategories, securityFinding } from "@bizbot/shared";
import type { z } from "zod";

export type Severity = z.infer<typeof securityFinding>["severity"];
export type Category = (typeof findingCategories)[number];

/** A detector rule's identity and the words a finding carries when the model says nothing better. */
export interface RuleInfo {
  id: string;
  severity: Severity;
  explanation: string;
  fix: string;
}

/** Offsets into the scanned text, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** What a detector found; `secret` marks the text that must never leave the scanner unmasked. */
export interface Finding {
  rule: string;
  category: Category;
  severity: Severity;
  /** 1-based. */
  line: number;
  /** 1-based, when the detector knows it. */
  column?: number;
  /** Already masked: a secret shows only its first characters. */
  evidence: string;
  explanation: string;
  fix: string;
  secret?: Span;
}

export const findingOf = (rule: RuleInfo, category: Category, at: { line: number; column?: number }, evidence: string, secret?: Span): Finding => ({
  rule: rule.id,
  category,
  severity: rule.severity,
  line: at.line,
  ...(at.column !== undefined ? { column: at.column } : {}),
  evidence,
  explanation: rule.explanation,
  fix: rule.fix,
  ...(secret ? { secret } : {}),
});
