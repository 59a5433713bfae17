import type { Kysely } from "kysely";
import { findUserByEmail, listMemberships } from "../auth/repository.ts";
import { getBalance } from "../credits/service.ts";
import type { DB } from "../db/schema.ts";
import { invalidInput } from "../errors.ts";
import { HOUSE_OWNER_EMAIL } from "../house.ts";
import type { SettingsStore } from "../tenants/settings.ts";
import { agentUsage, conversationOutcomes, dailyUsage, type DayRow, type Period, tenantCreatedAt, trialUsage, widgetTrialSignups } from "./repository.ts";

export interface UsageDeps {
  db: Kysely<DB>;
  settings: SettingsStore;
}

export const MAX_USAGE_DAYS = 90;
/** A balance under this many credits is low whatever the spending. */
export const LOW_BALANCE_CREDITS = 50;
/** ...and so is one that would last fewer days than this at the period's average spend. */
export const LOW_BALANCE_DAYS = 3;
/** A conversation quiet for this long, unescalated and answered, counts as resolved. */
export const QUIET_MINUTES = 30;

export interface UsageFigures {
  creditsSpent: number;
  creditsAdded: number;
  agentRuns: number;
  trialRuns: number;
  conversations: number;
  modelCostUsd: number;
}

export interface UsageSummary {
  days: number;
  /** The first and last UTC day of the period, YYYY-MM-DD; the last is today. */
  from: string;
  to: string;
  balance: {
    balance: number;
    held: number;
    available: number;
    /** Credits spent per day over the period (or over the days since the tenant was created, if fewer). */
    averageDailySpend: number;
    /** How many days the available credits last at that pace; null when nothing was spent. */
    daysLeft: number | null;
    low: boolean;
  };
  /** Every day of the period, oldest first, zeros included. */
  daily: Array<{ date: string } & UsageFigures>;
  /** Agents with runs in the period, most runs first. */
  agents: Array<{ agentId: string; runs: number; succeeded: number; failed: number; trialRuns: number; creditsSpent: number; modelCostUsd: number }>;
  conversations: {
    total: number;
    resolved: number;
    escalated: number;
    /** Neither yet: still going on, or not answered. */
    open: number;
    resolutionRate: number | null;
    escalationRate: number | null;
  };
  trial: {
    runs: number;
    /** Visitors who ran an agent free in the period. */
    visitors: number;
    /** Visitors who used up an agent's free runs in the period: they reached the call to action. */
    exhaustedVisitors: number;
    /** The platform's own tenant only: tenants that signed up in the period from its widget's call to action; null for every other tenant. */
    signupsAfterTrial: number | null;
  };
  totals: UsageFigures;
}

const DAY_MS = 86_400_000;
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The `days` whole UTC days that end with the one holding `asOf`. */
export function periodOf(days: number, asOf: Date): Period {
  const end = Math.floor(asOf.getTime() / DAY_MS) * DAY_MS + DAY_MS;
  const start = end - days * DAY_MS;
  return { first: utcDate(start), last: utcDate(end - DAY_MS), start: new Date(start), end: new Date(end) };
}

function figures(row: DayRow): UsageFigures {
  return {
    creditsSpent: Number(row.credits_spent),
    creditsAdded: Number(row.credits_added),
    agentRuns: Number(row.agent_runs),
    trialRuns: Number(row.trial_runs),
    conversations: Number(row.conversations),
    modelCostUsd: Number(row.model_cost_usd),
  };
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Whether the tenant is the platform's own, found as house.ts finds it: the first tenant of the house owner. */
async function isHouseTenant(db: Kysely<DB>, tenantId: string): Promise<boolean> {
  const owner = await findUserByEmail(db, HOUSE_OWNER_EMAIL);
  return owner ? (await listMemberships(db, owner.id))[0]?.tenantId === tenantId : false;
}

/**
 * The figures of the portal's dashboard for the last `days` UTC days, today included: all scoped to the tenant and
 * aggregated in Postgres (repository.ts says what each figure counts). `asOf` is the present, for tests.
 */
export async function usageSummary(deps: UsageDeps, tenantId: string, days: number, asOf = new Date()): Promise<UsageSummary> {
  if (!Number.isInteger(days) || days < 1 || days > MAX_USAGE_DAYS)
    throw invalidInput(`A summary covers 1 to ${MAX_USAGE_DAYS} days`, { days: ["out of range"] });
  const period = periodOf(days, asOf);
  const { trialRuns: allowances } = await deps.settings.get(tenantId);
  const [rows, agents, outcomes, trial, balance, createdAt, house] = await Promise.all([
    dailyUsage(deps.db, tenantId, period),
    agentUsage(deps.db, tenantId, period),
    conversationOutcomes(deps.db, tenantId, period, new Date(asOf.getTime() - QUIET_MINUTES * 60_000)),
    trialUsage(deps.db, tenantId, period, allowances),
    getBalance(deps.db, tenantId),
    tenantCreatedAt(deps.db, tenantId),
    isHouseTenant(deps.db, tenantId),
  ]);
  const daily = rows.filter((r) => r.date !== null).map((r) => ({ date: r.date!, ...figures(r) }));
  const totals = figures(rows.find((r) => r.date === null)!);

  // Low: under LOW_BALANCE_CREDITS available, or under LOW_BALANCE_DAYS of the period's average daily spend. The
  // average is over the days the tenant existed in the period (at least one), so a new tenant's spending is not
  // diluted by days before it signed up. Available (balance less open holds) is what can still be spent.
  const activeDays = createdAt
    ? Math.min(days, Math.max(1, Math.round((period.end.getTime() - Math.floor(createdAt.getTime() / DAY_MS) * DAY_MS) / DAY_MS)))
    : days;
  const averageDailySpend = totals.creditsSpent / activeDays;
  const low = balance.available < LOW_BALANCE_CREDITS || balance.available < LOW_BALANCE_DAYS * averageDailySpend;

  const total = Number(outcomes.total);
  const resolved = Number(outcomes.resolved);
  const escalated = Number(outcomes.escalated);
  return {
    days,
    from: period.first,
    to: period.last,
    balance: {
      ...balance,
      averageDailySpend: Math.round(averageDailySpend * 100) / 100,
      daysLeft: averageDailySpend > 0 ? Math.max(0, Math.floor((balance.available / averageDailySpend) * 10) / 10) : null,
      low,
    },
    daily,
    agents: agents.map((a) => ({
      agentId: a.agent_id,
      runs: Number(a.runs),
      succeeded: Number(a.succeeded),
      failed: Number(a.failed),
      trialRuns: Number(a.trial_runs),
      creditsSpent: Number(a.credits_spent),
      modelCostUsd: Number(a.model_cost_usd),
    })),
    conversations: {
      total,
      resolved,
      escalated,
      open: total - resolved - escalated,
      resolutionRate: rate(resolved, total),
      escalationRate: rate(escalated, total),
    },
    trial: {
      runs: Number(trial.runs),
      visitors: Number(trial.visitors),
      exhaustedVisitors: Number(trial.exhausted),
      signupsAfterTrial: house ? await widgetTrialSignups(deps.db, period) : null,
    },
    totals,
  };
}
