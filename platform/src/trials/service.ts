import type { AgentId } from "@bizbot/shared";
import type { Kysely } from "kysely";
import type { BlockList } from "node:net";
import type { Counter } from "prom-client";
import type { DB } from "../db/schema.ts";
import type { SettingsStore } from "../tenants/settings.ts";
import { isBotAgent, isDenied, type VisitorIdentity } from "./identity.ts";
import { takeNetworkRun, takeVisitorRun, visitorRunsUsed } from "./repository.ts";

export interface TrialDeps {
  db: Kysely<DB>;
  settings: SettingsStore;
  trialPolicy: { denyList: BlockList; networkDailyCap: number };
  metrics: { trialRuns: Counter<"result"> };
}

export type TrialRefusal = "no_trial" | "exhausted" | "automated_client" | "network_denied" | "network_cap";

export interface TrialAnswer {
  granted: boolean;
  /** Free runs of this agent the visitor has left after this answer. */
  remaining: number;
  freeRuns: number;
  refusal?: TrialRefusal;
}

class NetworkCapReached extends Error {}

/**
 * Takes one free run of `agentId` for an anonymous visitor, or says why not. The visitor's count and the network's
 * daily count move together in one transaction: exactly N runs, however many requests race.
 */
export async function takeTrialRun(deps: TrialDeps, tenantId: string, agentId: AgentId, visitor: VisitorIdentity): Promise<TrialAnswer> {
  const freeRuns = (await deps.settings.get(tenantId)).trialRuns[agentId] ?? 0;
  const refuse = async (refusal: TrialRefusal, remaining?: number): Promise<TrialAnswer> => {
    deps.metrics.trialRuns.inc({ result: refusal });
    return { granted: false, remaining: remaining ?? (await remainingRuns(deps.db, tenantId, agentId, visitor.hash, freeRuns)), freeRuns, refusal };
  };
  if (freeRuns === 0) return refuse("no_trial", 0);
  if (isBotAgent(visitor.userAgent)) return refuse("automated_client", 0);
  if (isDenied(deps.trialPolicy.denyList, visitor.ip)) return refuse("network_denied", 0);
  try {
    const used = await deps.db.transaction().execute(async (trx) => {
      const used = await takeVisitorRun(trx, tenantId, agentId, visitor.hash, freeRuns);
      if (used === null) return null;
      if ((await takeNetworkRun(trx, tenantId, visitor.networkHash, deps.trialPolicy.networkDailyCap)) === null) throw new NetworkCapReached();
      return used;
    });
    if (used === null) return refuse("exhausted", 0);
    deps.metrics.trialRuns.inc({ result: "used" });
    return { granted: true, remaining: freeRuns - used, freeRuns };
  } catch (error) {
    if (error instanceof NetworkCapReached) return refuse("network_cap");
    throw error;
  }
}

async function remainingRuns(db: Kysely<DB>, tenantId: string, agentId: string, visitorHash: string, freeRuns: number) {
  return Math.max(0, freeRuns - (await visitorRunsUsed(db, tenantId, agentId, visitorHash)));
}

export async function trialStatus(deps: TrialDeps, tenantId: string, agentId: AgentId, visitor: VisitorIdentity): Promise<TrialAnswer> {
  const freeRuns = (await deps.settings.get(tenantId)).trialRuns[agentId] ?? 0;
  const eligible = !isBotAgent(visitor.userAgent) && !isDenied(deps.trialPolicy.denyList, visitor.ip);
  const remaining = eligible ? await remainingRuns(deps.db, tenantId, agentId, visitor.hash, freeRuns) : 0;
  return { granted: false, remaining, freeRuns };
}
