import type { auditFrameworks } from "@bizbot/shared";

export type Framework = (typeof auditFrameworks)[number];

/** A statement shows a signal when it matches the pattern, or every pattern of the list. */
export type Signal = RegExp | readonly RegExp[];

/**
 * One control of a framework's checklist and the rules that read it from the evidence. Patterns are
 * case-insensitive and tested one statement at a time (evaluate.ts).
 */
export interface Control {
  /** The framework's own reference: a Trust Services Criterion, a GDPR article, a 45 CFR citation. */
  id: string;
  title: string;
  /** Any of these shows the control in place. */
  met: readonly Signal[];
  /** Weaker evidence: the control is partly covered when no statement shows it met. */
  partial?: readonly Signal[];
  /** Any of these shows the control not in place, unless the statement denies it ("shared accounts are prohibited"). */
  notMet?: readonly Signal[];
  /** The next step when the control is not fully met and the model gave none. */
  recommendation: string;
}

export interface Checklist {
  framework: Framework;
  name: string;
  controls: readonly Control[];
}
