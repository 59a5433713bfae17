import type { deploymentAgentInput, deploymentStrategies } from "@bizbot/shared";
import type { z } from "zod";

export type DeploymentInput = z.output<typeof deploymentAgentInput>;
export type Strategy = (typeof deploymentStrategies)[number];

export interface StrategyChoice {
  type: Strategy;
  /** The rule that chose the type first, then what the other inputs mean for it. */
  reasons: string[];
}

interface StrategyRule {
  when(input: DeploymentInput): boolean;
  type: Strategy;
  reason: string;
}

/**
 * The strategy table: the first rule that applies chooses. Schema changes under a zero-downtime promise come first,
 * because they constrain the rollout most (two versions must share one database); then the target, then traffic.
 */
const STRATEGY_RULES: StrategyRule[] = [
  {
    when: (i) => i.zeroDowntime === true && i.databaseMigrations === true,
    type: "blue-green",
    reason:
      "Zero downtime with database schema changes: blue-green keeps the current version serving until the new one is verified, with each schema change split into an expand migration (backward compatible, before the switch) and a contract migration (after the old version is retired).",
  },
  {
    when: (i) => i.target === "serverless",
    type: "canary",
    reason:
      "Serverless: the platform shifts traffic between function versions (weighted aliases or revision traffic splits), so a canary needs no extra infrastructure and rolls back by pointing the alias at the previous version.",
  },
  {
    when: (i) => i.traffic === "high",
    type: "canary",
    reason:
      "High traffic: a canary sends a small share of requests to the new version first and compares its error rate and latency with the stable version before going further, so a bad release reaches few users.",
  },
  {
    when: (i) => i.zeroDowntime === true,
    type: "rolling",
    reason:
      "Zero downtime without schema changes: a rolling update that starts new instances before stopping old ones (none unavailable) and routes only to healthy instances keeps serving throughout, without a second environment.",
  },
  {
    when: (i) => i.traffic === "low",
    type: "rolling",
    reason: "Low traffic and no zero-downtime requirement: a rolling update is the simplest strategy, and a short dip in capacity is acceptable.",
  },
  {
    when: () => true,
    type: "rolling",
    reason: "Nothing calls for a second environment or traffic splitting: a rolling update behind health checks is the simplest safe default.",
  },
];

/** The strategy by the table, with the reasons the inputs give. The model may add reasons, never change the type. */
export function chooseStrategy(input: DeploymentInput): StrategyChoice {
  const rule = STRATEGY_RULES.find((r) => r.when(input))!;
  const reasons = [rule.reason];
  if (input.databaseMigrations && rule.type !== "blue-green") {
    reasons.push(
      `Old and new versions run side by side during a ${rule.type} rollout: keep each migration backward compatible (expand before the rollout, contract in a later release).`,
    );
  }
  if (rule.type === "blue-green" && input.traffic === "high") {
    reasons.push(
      "High traffic: warm up the new environment (caches, connection pools, autoscaling) before the switch, and keep the old one ready to take traffic back.",
    );
  }
  if (input.traffic === undefined) reasons.push("Traffic was not given: it is taken as medium.");
  if (input.target === undefined) reasons.push("Where it runs was not given: the pipeline names generic steps.");
  return { type: rule.type, reasons };
}
