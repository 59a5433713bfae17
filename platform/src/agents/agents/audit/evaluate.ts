import type { controlStatuses } from "@bizbot/shared";
import type { Control, Signal } from "./control.ts";

export type ControlStatus = (typeof controlStatuses)[number];

/** What the rules found for one control: its status and the statement that decided it. */
export interface ControlResult {
  id: string;
  title: string;
  status: ControlStatus;
  /** The deciding statement, clipped; null when nothing in the evidence concerns the control. */
  evidence: string | null;
}

export interface Score {
  met: number;
  partial: number;
  notMet: number;
  noEvidence: number;
}

const EXCERPT_CHARS = 200;
/** Longer statements are cut in pieces, which also bounds the work of every pattern on one piece. */
const STATEMENT_CHARS = 500;

/** Words that deny a term when they come at most NEGATION_WINDOW words before it: "is not enforced", "no backups". */
const NEGATORS = new Set(["not", "no", "never", "without", "none", "nobody", "neither", "nor", "cannot", "lack", "lacks", "lacking", "missing"]);
const NEGATION_WINDOW = 2;

/** Qualifiers that leave a control only partly in place: planned, under way, or covering part of the scope. */
const LIMITS =
  /\b(partial(ly)?|in progress|planned|plans? to|pilot(ed|ing)?|draft|not yet|being (rolled out|implemented|developed|drafted)|rolling out|scheduled for|ad[- ]hoc|informal(ly)?|inconsistent(ly)?|not all|some|except|(admins?|administrators?|privileged (users|accounts)|production) only|only (for|on) (some|certain|admins?|administrators?|privileged|production|new)|most (of )?(our |the )?(systems|servers|laptops|devices|users|employees|staff|accounts|vendors|applications|databases))\b/i;

/** A missing process, policy or plan: the control is not in place, whatever else the statement names. */
const ABSENCE =
  /\b(no|without|lacks?|missing)( an?| any)? (documented |formal |written |defined |established )?(process|procedure|policy|plan|program(me)?)\b/i;

/** Words after a bad practice that forbid it: "shared accounts are prohibited". */
const FORBIDDEN = /^\W*(\w+\W+)?(is |are )?(prohibited|forbidden|blocked|prevented|disallowed|not (allowed|permitted))\b/i;

/**
 * The evidence as statements: its lines, each cut at sentence ends, bullets removed. Evidence is free text; one
 * statement a line reads best, since a negation anywhere near a term on the same statement counts against it.
 */
export function statements(evidence: string): string[] {
  return evidence
    .replace(/[\u2018\u2019]/g, "'")
    .split(/\r?\n/)
    .flatMap((line) => line.split(/(?<=[.!?])\s+(?=[A-Z])/))
    .map((s) => s.replace(/^\s*([-*•]|\d+[.)])\s+/, "").trim())
    .filter((s) => s.length > 0)
    .flatMap(pieces);
}

/** The checklist's controls as the evidence shows them, in the checklist's order. */
export function evaluate(controls: readonly Control[], evidence: string): ControlResult[] {
  const lines = statements(evidence);
  return controls.map((control) => {
    const found = lines.flatMap((statement) => {
      const verdict = verdictOf(control, statement);
      return verdict ? [{ verdict, statement }] : [];
    });
    const { status, statement } = decide(found);
    return { id: control.id, title: control.title, status, evidence: statement === null ? null : excerpt(statement) };
  });
}

export function score(results: readonly ControlResult[]): Score {
  const count = (status: ControlStatus) => results.filter((r) => r.status === status).length;
  return { met: count("met"), partial: count("partial"), notMet: count("not_met"), noEvidence: count("no_evidence") };
}

/**
 * What one statement says of a control. met: in place; limited: in place but qualified ("planned", "for admins
 * only") or contradicted on the same statement; weak: only weaker evidence; not_met: a bad practice, or the control's
 * terms denied ("MFA is not enforced"). A bad practice that is itself denied ("no shared accounts") counts as met.
 */
type Verdict = "met" | "limited" | "weak" | "not_met";

function verdictOf(control: Control, statement: string): Verdict | null {
  const bad = control.notMet ? readAll(control.notMet, statement, forbidden) : null;
  if (bad === "affirmed" || bad === "mixed") return "not_met";
  const good = readAll(control.met, statement, negated);
  const weak = good === null && control.partial ? readAll(control.partial, statement, negated) : null;
  const reading = good ?? weak;
  if (reading === null) return bad === "negated" ? "met" : null;
  const limited = LIMITS.test(statement);
  if (reading === "negated" || ABSENCE.test(statement)) return limited ? "limited" : "not_met";
  if (reading === "mixed" || limited) return "limited";
  return good ? "met" : "weak";
}

/**
 * A control's status from its statements: a bad practice next to anything in place makes it partial, so does a
 * limited statement; weaker evidence counts only when nothing shows the control met. The excerpt is the statement
 * that shows the gap when there is one.
 */
function decide(found: Array<{ verdict: Verdict; statement: string }>): { status: ControlStatus; statement: string | null } {
  const first = (verdict: Verdict) => found.find((f) => f.verdict === verdict)?.statement;
  const notMet = first("not_met");
  const met = first("met");
  const limited = first("limited");
  const weak = first("weak");
  if (notMet !== undefined) return met || limited || weak ? { status: "partial", statement: limited ?? notMet } : { status: "not_met", statement: notMet };
  if (limited !== undefined) return { status: "partial", statement: limited };
  if (met !== undefined) return { status: "met", statement: met };
  if (weak !== undefined) return { status: "partial", statement: weak };
  return { status: "no_evidence", statement: null };
}

/** affirmed: every pattern found as stated; negated: some pattern found only denied; mixed: found both ways. */
type Reading = "affirmed" | "mixed" | "negated";

type Denied = (statement: string, index: number, length: number) => boolean;

function readAll(signals: readonly Signal[], statement: string, denied: Denied): Reading | null {
  const readings = signals.flatMap((signal) => {
    const reading = read(signal, statement, denied);
    return reading ? [reading] : [];
  });
  if (readings.length === 0) return null;
  if (readings.every((r) => r === "affirmed")) return "affirmed";
  if (readings.every((r) => r === "negated")) return "negated";
  return "mixed";
}

function read(signal: Signal, statement: string, denied: Denied): Reading | null {
  const patterns = signal instanceof RegExp ? [signal] : signal;
  let negatedTerm = false;
  let deniedOnce = false;
  for (const pattern of patterns) {
    const hits = [...statement.matchAll(global(pattern))];
    if (hits.length === 0) return null;
    const denials = hits.filter((hit) => denied(statement, hit.index, hit[0].length)).length;
    if (denials === hits.length) negatedTerm = true;
    else if (denials > 0) deniedOnce = true;
  }
  return negatedTerm ? "negated" : deniedOnce ? "mixed" : "affirmed";
}

const negated: Denied = (statement, index) => {
  const before =
    statement
      .slice(0, index)
      .toLowerCase()
      .match(/[\p{L}\p{N}']+/gu) ?? [];
  return before.slice(-NEGATION_WINDOW).some((word) => NEGATORS.has(word) || word.endsWith("n't"));
};

const forbidden: Denied = (statement, index, length) => negated(statement, index, length) || FORBIDDEN.test(statement.slice(index + length));

const globals = new WeakMap<RegExp, RegExp>();

function global(pattern: RegExp): RegExp {
  let g = globals.get(pattern);
  if (!g) globals.set(pattern, (g = new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`)));
  return g;
}

function pieces(statement: string): string[] {
  const out: string[] = [];
  let rest = statement;
  while (rest.length > STATEMENT_CHARS) {
    const space = rest.lastIndexOf(" ", STATEMENT_CHARS);
    const cut = space > STATEMENT_CHARS / 2 ? space : STATEMENT_CHARS;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

function excerpt(statement: string): string {
  return statement.length <= EXCERPT_CHARS ? statement : `${statement.slice(0, EXCERPT_CHARS - 1)}…`;
}
