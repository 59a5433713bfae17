import type { incidentSeverities } from "@bizbot/shared";
import type { LogSignals } from "./logs.ts";

export type Severity = (typeof incidentSeverities)[number];

export interface SeverityFacts {
  description: string;
  affectedUsers?: number | undefined;
  signals: LogSignals;
}

export interface Assessment {
  severity: Severity;
  /** One line per rule that fired, highest severity first; one line saying why when none did (SEV4). */
  reasons: string[];
}

/** A rule of the severity table: a line saying what it saw, or null when it does not apply. */
interface Rule {
  severity: Exclude<Severity, "SEV4">;
  name: string;
  test(facts: SeverityFacts): string | null;
}

/** Users affected from which an incident with errors is SEV1, and from which it is SEV2. */
const SEV1_USERS = 1000;
const SEV2_USERS = 100;
/** 5xx responses in the logs that make a 5xx rate: at least this many, and at least this share of the responses. */
const MIN_SERVER_ERRORS = 5;
const MIN_SERVER_ERROR_SHARE = 0.05;
/** Timeout lines in the logs that make timeouts a symptom rather than noise. */
const MIN_TIMEOUTS = 5;

const FAILURE =
  /\b(?:down|broken|fail(?:s|ed|ing|ures?)?|not\s+working|(?:does|do|is|are)(?:n't|\s+not)\s+work(?:ing)?|unavailable|errors?|can(?:not|'t|’t)|unable|crash(?:es|ed|ing)?|stuck|outage)\b/i;

const FULL_OUTAGE =
  /\b(?:(?:full|total|complete|global|site[- ]?wide|widespread)\s+outage|outage|hard\s+down|(?:site|service|app|application|api|website|platform|system|production|prod|everything|servers?|cluster|database|db)\s+(?:is\s+|are\s+|went\s+|has\s+gone\s+|have\s+gone\s+|seems\s+|appears\s+)?(?:completely\s+|totally\s+|entirely\s+)?(?:down|offline|unreachable)|(?:completely|entirely|totally)\s+(?:down|unavailable|unreachable|broken|offline)|(?:nobody|no\s+one|no-one)\s+can\b|(?:all|every)\s+(?:users?|customers?|requests?|pages?|endpoints?)\s+(?:are\s+|is\s+)?(?:fail\w*|getting\s+errors?|seeing\s+errors?|can(?:not|'t|’t)|unable))/i;
const DATA_LOSS =
  /\bdata\s+(?:loss|lost|corrupt\w*|deleted|wiped)\b|\blost\s+(?:data|records|orders|transactions|files)\b|\bcorrupt(?:ed|ion)\b|\b(?:deleted|dropped|truncated|wiped)\s+(?:the\s+)?(?:production\s+)?(?:data|database|tables?|records|rows|bucket)\b/i;
const BREACH =
  /\b(?:security\s+)?breach(?:ed)?\b|\bcompromised\b|\bunauthori[sz]ed\s+access\b|\bransomware\b|\bintrusion\b|\bexfiltrat\w*|\bhacked\b|\b(?:credentials?|keys?|secrets?|tokens?|passwords?|pii|personal\s+data|customer\s+data)\s+(?:were\s+|was\s+|are\s+|is\s+|have\s+been\s+|has\s+been\s+)?(?:leaked|exposed|stolen)\b|\bleaked\s+(?:credentials?|keys?|secrets?|tokens?|data)\b/i;
const PAYMENTS = /\b(?:payments?|checkout|billing|card\s+(?:transactions?|payments?)|pay)\b/i;
const SERVER_ERRORS =
  /\b5xx\b|\b(?:http|status|returning|returns|returned|throwing|getting|got)\s+5\d\ds?\b|\b5\d\ds?\s+(?:errors?|responses?|status)\b|\binternal\s+server\s+error\b|\bbad\s+gateway\b|\bgateway\s+time-?out\b/i;
const TIMEOUTS = /\btime[ -]?outs?\b|\btim(?:ed|ing)[ -]out\b|\bdeadline\s+exceeded\b/i;
const DEGRADATION =
  /\b(?:major|severe|significant|serious|heavy)\s+(?:degradation|slowdown|latency|performance\s+(?:issues?|problems?))\b|\bdegraded\b|\b(?:very|extremely|really)\s+slow\b|\bhigh\s+latency\b|\blatency\s+(?:spikes?|is\s+(?:very\s+)?high)\b|\b(?:elevated|high|increased|spiking)\s+error\s+rates?\b/i;
const CORE_FEATURE =
  /\b(?:log\s?-?in|sign[- ]?(?:in|up)|authenticat\w*|auth|sso|password\s+reset|registration|checkout|cart|orders?|ordering|search|api|database|db|home\s?page|uploads?|messaging)\b/i;
const PARTIAL =
  /\b(?:partial(?:ly)?|minor|some\s+(?:users|customers|requests|accounts)|a\s+few|a\s+small\s+number|a\s+handful|intermittent(?:ly)?|occasional(?:ly)?|sporadic(?:ally)?|cosmetic|slow(?:er)?|sluggish|non[- ]?critical|(?:one|a\s+single|single)\s+(?:user|customer|account))\b/i;
const WORKAROUND = /\bwork[- ]?arounds?\b|\bcan\s+still\b|\bstill\s+(?:able|works?|working)\b|\b(?:by|after)\s+(?:refreshing|retrying|reloading)\b/i;
const NON_CORE_FEATURE =
  /\b(?:exports?|reports?|reporting|avatars?|profile\s+(?:pictures?|photos?)|notifications?|newsletters?|analytics|admin\s+(?:panel|page)|settings\s+page|help\s+cent(?:er|re)|docs|documentation|dark\s+mode|layout|styling|typos?|tooltips?|icons?|thumbnails?|emails?)\b/i;

/** A negation just before a phrase ("no data loss", "is not down") or a qualifier that shrinks an outage ("partial outage"). */
const NEGATED = /\b(?:no|not|without|never|nor|isn't|aren't|wasn't|weren't|hasn't|haven't|no\s+sign\s+of)\s+(?:\w+\s+){0,2}$/i;
const SHRUNK = /\b(?:partial|minor|small|brief|short|planned|scheduled|earlier|previous)\s+$/i;

const sentences = (text: string) => text.split(/(?<=[.!?;])\s+|\n+/).filter((s) => s.trim());
const quote = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return `"${flat.length > 80 ? `${flat.slice(0, 79)}…` : flat}"`;
};

/** The first phrase of `pattern` in `text` that no negation or shrinking qualifier comes just before. */
function affirmed(text: string, pattern: RegExp, qualifiers: RegExp[] = [NEGATED]): string | null {
  for (const m of text.matchAll(new RegExp(pattern.source, `${pattern.flags.replace("g", "")}g`))) {
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    if (!qualifiers.some((q) => q.test(before))) return m[0];
  }
  return null;
}

/** The first sentence naming a thing of `subject` together with a failure, e.g. "Login is broken". */
function failingSentence(text: string, subject: RegExp): string | null {
  return sentences(text).find((s) => subject.test(s) && FAILURE.test(s) && !NEGATED.test(s.slice(0, s.search(FAILURE)))) ?? null;
}

const says = (phrase: string | null) => (phrase ? `the description says ${quote(phrase)}` : null);
const users = (n: number) => n.toLocaleString("en-US");
const hasErrors = (f: SeverityFacts) => f.signals.errorLines > 0 || failingSentence(f.description, /./) !== null;
const serverErrorRate = (s: LogSignals) =>
  s.serverErrors >= MIN_SERVER_ERRORS && s.serverErrors / s.responses >= MIN_SERVER_ERROR_SHARE ? s.serverErrors / s.responses : null;

/**
 * The severity table, from the worst down. The highest severity with a rule that fired is the incident's; every rule
 * that fired is a reason. The model is never asked: the same description, logs and users give the same severity.
 */
const SEVERITY_RULES: Rule[] = [
  { severity: "SEV1", name: "full outage", test: (f) => says(affirmed(f.description, FULL_OUTAGE, [NEGATED, SHRUNK])) },
  { severity: "SEV1", name: "data loss", test: (f) => says(affirmed(f.description, DATA_LOSS)) },
  { severity: "SEV1", name: "security breach", test: (f) => says(affirmed(f.description, BREACH)) },
  { severity: "SEV1", name: "payments down", test: (f) => says(failingSentence(f.description, PAYMENTS)) },
  {
    severity: "SEV1",
    name: `${users(SEV1_USERS)}+ users with errors`,
    test: (f) =>
      f.affectedUsers !== undefined && f.affectedUsers >= SEV1_USERS && hasErrors(f)
        ? `${users(f.affectedUsers)} users are affected and errors are reported`
        : null,
  },
  {
    severity: "SEV2",
    name: "5xx rate",
    test: (f) => {
      const rate = serverErrorRate(f.signals);
      if (rate !== null) return `the logs show ${f.signals.serverErrors} HTTP 5xx responses, ${Math.round(rate * 100)}% of ${f.signals.responses}`;
      return says(affirmed(f.description, SERVER_ERRORS));
    },
  },
  {
    severity: "SEV2",
    name: "timeouts",
    test: (f) => (f.signals.timeouts >= MIN_TIMEOUTS ? `the logs show ${f.signals.timeouts} lines with timeouts` : says(affirmed(f.description, TIMEOUTS))),
  },
  { severity: "SEV2", name: "major degradation", test: (f) => says(affirmed(f.description, DEGRADATION)) },
  { severity: "SEV2", name: "core feature broken", test: (f) => says(failingSentence(f.description, CORE_FEATURE)) },
  {
    severity: "SEV2",
    name: `${users(SEV2_USERS)}+ users affected`,
    test: (f) => (f.affectedUsers !== undefined && f.affectedUsers >= SEV2_USERS ? `${users(f.affectedUsers)} users are affected` : null),
  },
  { severity: "SEV3", name: "partial or minor impact", test: (f) => says(affirmed(f.description, PARTIAL)) },
  { severity: "SEV3", name: "workaround exists", test: (f) => says(affirmed(f.description, WORKAROUND)) },
  { severity: "SEV3", name: "non-core feature broken", test: (f) => says(failingSentence(f.description, NON_CORE_FEATURE)) },
  {
    severity: "SEV3",
    name: "some users affected",
    test: (f) => (f.affectedUsers !== undefined && f.affectedUsers > 0 && f.affectedUsers < SEV2_USERS ? `${users(f.affectedUsers)} users are affected` : null),
  },
];

const ORDER: Severity[] = ["SEV1", "SEV2", "SEV3", "SEV4"];

/** The incident's severity by the table, with the line of every rule that fired. */
export function assessSeverity(facts: SeverityFacts): Assessment {
  const reasons: string[] = [];
  let severity: Severity = "SEV4";
  for (const rule of SEVERITY_RULES) {
    const seen = rule.test(facts);
    if (!seen) continue;
    reasons.push(`${rule.severity} (${rule.name}): ${seen}.`);
    if (ORDER.indexOf(rule.severity) < ORDER.indexOf(severity)) severity = rule.severity;
  }
  if (!reasons.length) {
    reasons.push("SEV4 (no SEV1–SEV3 rule matched): no outage, data loss, breach, payment failure, degradation or partial user impact was reported.");
  }
  return { severity, reasons };
}
