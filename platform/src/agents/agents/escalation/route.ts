import type { EscalationRules, escalationManagerOutput } from "@bizbot/shared";
import type { z } from "zod";
import { describeHours, withinHours } from "./hours.ts";
import { BUILT_IN_URGENT, type Priority, type PriorityReading, priorityOf, raised, vipEntry } from "./priority.ts";
import { findWords } from "./words.ts";

export type Team = EscalationRules["teams"][number];
export type Decision = z.output<typeof escalationManagerOutput>;
type Match = Decision["matched"][number];

export interface Ticket {
  message: string;
  subject?: string | undefined;
  customerEmail?: string | undefined;
  category?: string | undefined;
}

/** A category the sender chose outweighs this many keywords. */
export const CATEGORY_WEIGHT = 3;

export interface TeamScore {
  team: Team;
  /** Distinct keywords found in the subject and message. */
  keywords: string[];
  /** The team's category the ticket's category equals, if any. */
  category: string | null;
  score: number;
}

/** What the rules make of a ticket: everything but, when the top teams tie, the team. */
export interface Routing {
  /** Null when the top teams tied: `tied` holds them, in the rules' order, for the model to choose among. */
  team: Team | null;
  tied: TeamScore[];
  priority: Priority;
  vip: boolean;
  withinBusinessHours: boolean;
  matched: Match[];
  /** The reason's sentences: before the team's (built-in rules), the team's when the rules chose it, and after. */
  before: string[];
  teamReason: string;
  after: string[];
}

/** How a tie was broken: by the model's choice among the tied teams, or by the rules' order when its answer was unfit. */
export type TieBreak = { by: "model"; team: string; reason: string } | { by: "rules" };

/**
 * Routes a ticket by the rules alone. Each team scores its distinct keywords found (whole words, any case, subject
 * and message) plus CATEGORY_WEIGHT when the ticket's category is one of its own; the best score wins, no score at
 * all means the default team. Outside business hours a P1 or P2 ticket goes to the after-hours team when there is one,
 * and a tie no longer matters then.
 */
export function routeTicket(ticket: Ticket, rules: EscalationRules, options: { builtIn: boolean; at: Date }): Routing {
  const text = [ticket.subject, ticket.message].filter(Boolean).join("\n");
  const matched: Match[] = [];
  const before = options.builtIn ? ["No escalation rules are configured, so the built-in rules decided."] : [];
  if (options.builtIn) matched.push({ rule: "built-in rules", detail: "no escalation rules are configured" });

  const scores = scoreTeams(text, ticket.category, rules.teams);
  for (const s of scores) {
    if (s.keywords.length > 0) matched.push({ rule: "keyword", detail: `${s.team.name}: ${quoted(s.keywords)}` });
    if (s.category) matched.push({ rule: "category", detail: `${s.team.name}: ${quoted([s.category])}` });
  }
  const top = scores.filter((s) => s.score === scores[0]?.score);

  const reading = priorityOf(text, rules.urgentKeywords.length > 0 ? rules.urgentKeywords : BUILT_IN_URGENT);
  const vip = vipEntry(ticket.customerEmail, rules.vip);
  const priority = vip ? raised(reading.priority) : reading.priority;
  const after = [priorityReason(reading)];
  for (const word of reading.urgent) matched.push({ rule: "urgent", detail: quoted([word]) });
  if (reading.urgent.length > 0) for (const word of reading.outage) matched.push({ rule: "outage", detail: quoted([word]) });
  if (reading.priority === "P4") matched.push({ rule: "request", detail: quoted(reading.request) });
  if (vip) {
    matched.push({ rule: "vip", detail: vip });
    after.push(
      priority === reading.priority ? `The customer is a VIP (${vip}); P1 is already the highest.` : `Raised to ${priority}: the customer is a VIP (${vip}).`,
    );
  }

  const hours = rules.businessHours;
  const within = hours ? withinHours(hours, options.at) : true;
  const afterHoursTeam = !within && (priority === "P1" || priority === "P2") && rules.afterHoursTeam ? teamById(rules, rules.afterHoursTeam) : null;
  if (hours && !within) {
    matched.push({ rule: "business hours", detail: `outside ${describeHours(hours)}` });
    after.push(
      afterHoursTeam
        ? `Received outside business hours (${describeHours(hours)}): a ${priority} ticket goes to the after-hours team ${afterHoursTeam.name}.`
        : `Received outside business hours (${describeHours(hours)}).`,
    );
  }

  const base = { priority, vip: vip !== null, withinBusinessHours: within, before, after };
  if (afterHoursTeam) {
    matched.push({ rule: "after-hours team", detail: afterHoursTeam.name });
    const pointed = top.length === 0 ? "" : `The rules pointed to ${top.map((s) => s.team.name).join(" or ")}; `;
    return { ...base, team: afterHoursTeam, tied: [], matched, teamReason: `${pointed}the after-hours team takes it.` };
  }
  if (top.length === 0) {
    const team = teamById(rules, rules.defaultTeam);
    matched.push({ rule: "default team", detail: team.name });
    return { ...base, team, tied: [], matched, teamReason: `No team's keywords or categories matched, so the default team ${team.name}.` };
  }
  if (top.length > 1) {
    matched.push({ rule: "tie", detail: `${top.map((s) => s.team.name).join(", ")} (score ${top[0]!.score})` });
    return { ...base, team: null, tied: top, matched, teamReason: "" };
  }
  const winner = top[0]!;
  const runnerUp = scores[1];
  const next = runnerUp ? `; next ${runnerUp.team.name} with ${runnerUp.score}` : "";
  return { ...base, team: winner.team, tied: [], matched, teamReason: `${winner.team.name}: ${evidenceOf(winner)} matched (score ${winner.score}${next}).` };
}

/** The decision, once a tie, if there was one, is broken. */
export function decide(routing: Routing, tieBreak?: TieBreak): Decision {
  let team = routing.team;
  let teamReason = routing.teamReason;
  let decidedBy: Decision["decidedBy"] = "rules";
  if (team === null) {
    const names = routing.tied.map((s) => s.team.name).join(" and ");
    const tie = `${names} tied with score ${routing.tied[0]!.score}`;
    const chosen = tieBreak?.by === "model" ? routing.tied.find((s) => s.team.id === tieBreak.team) : undefined;
    if (chosen && tieBreak?.by === "model") {
      team = chosen.team;
      decidedBy = "model";
      teamReason = `${tie}; the model chose ${team.name}: ${tieBreak.reason.trim()}`;
    } else {
      team = routing.tied[0]!.team;
      teamReason = `${tie}; without a usable choice from the model, the first of them in the rules' order, ${team.name}.`;
    }
  }
  return {
    team: team.id,
    teamName: team.name,
    priority: routing.priority,
    reason: [...routing.before, teamReason, ...routing.after].join(" "),
    decidedBy,
    matched: routing.matched,
    vip: routing.vip,
    withinBusinessHours: routing.withinBusinessHours,
  };
}

/** The teams that scored, best first; equal scores keep the rules' order. */
export function scoreTeams(text: string, category: string | undefined, teams: readonly Team[]): TeamScore[] {
  const wanted = category?.trim().toLowerCase();
  return teams
    .map((team) => {
      const keywords = findWords(text, team.keywords);
      const own = wanted ? (team.categories.find((c) => c.trim().toLowerCase() === wanted) ?? null) : null;
      return { team, keywords, category: own, score: keywords.length + (own ? CATEGORY_WEIGHT : 0) };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
}

function priorityReason(reading: PriorityReading): string {
  switch (reading.priority) {
    case "P1":
      return `P1: urgent word ${quoted(reading.urgent)} with outage word ${quoted(reading.outage)}.`;
    case "P2":
      return `P2: urgent word ${quoted(reading.urgent)}.`;
    case "P4":
      return `P4: a question or request (${quoted(reading.request)}).`;
    default:
      return "P3: no urgent word, and not a plain question or request.";
  }
}

function evidenceOf(s: TeamScore): string {
  const parts = [];
  if (s.keywords.length > 0) parts.push(`${s.keywords.length === 1 ? "keyword" : "keywords"} ${quoted(s.keywords)}`);
  if (s.category) parts.push(`category ${quoted([s.category])}`);
  return parts.join(" and ");
}

/** Stored rules are checked on save to name existing teams; the first team covers rules stored before that check. */
const teamById = (rules: EscalationRules, id: string): Team => rules.teams.find((t) => t.id === id) ?? rules.teams[0]!;

const quoted = (words: readonly string[]) => words.map((w) => `"${w}"`).join(", ");
