import { deploymentAgentInput } from "@bizbot/shared";
import { describe, expect, it } from "vitest";
import { pipelineSkeleton, rollbackSkeleton } from "./pipeline.ts";
import type { DeploymentInput, Strategy } from "./strategy.ts";

const base: DeploymentInput = { application: "A web shop" };
const targets = deploymentAgentInput.shape.target.unwrap().options;
const strategies: Strategy[] = ["rolling", "blue-green", "canary"];
const stepsOf = (input: DeploymentInput, strategy: Strategy, stage: string) => pipelineSkeleton(input, strategy).find((s) => s.stage.startsWith(stage))!.steps;

describe("pipelineSkeleton", () => {
  it.each(targets.flatMap((target) => strategies.map((strategy) => [target, strategy] as const)))("has every stage in order for %s, %s", (target, strategy) => {
    const stages = pipelineSkeleton({ ...base, target }, strategy);
    expect(stages.map((s) => s.stage)).toEqual([
      "Build",
      "Test",
      "Security scan",
      "Artifact",
      "Deploy to staging",
      "Smoke tests",
      `Production rollout (${strategy})`,
      "Post-deploy verification",
    ]);
    for (const stage of stages) expect(stage.steps.length).toBeGreaterThan(0);
  });

  it("builds and scans an image for container targets only", () => {
    expect(stepsOf({ ...base, target: "kubernetes" }, "rolling", "Artifact")[0]).toBe("Build a container image tagged with the commit SHA");
    expect(stepsOf({ ...base, target: "kubernetes" }, "rolling", "Security scan")).toContain("Scan the container image");
    expect(stepsOf({ ...base, target: "serverless" }, "canary", "Artifact")[0]).toBe("Build a function package published as an immutable version");
    expect(stepsOf({ ...base, target: "serverless" }, "canary", "Security scan")).not.toContain("Scan the container image");
  });

  it("rolls out by the strategy, on the target's terms", () => {
    expect(stepsOf({ ...base, target: "serverless" }, "canary", "Production rollout")[0]).toMatch(/weighted alias/);
    expect(stepsOf({ ...base, target: "kubernetes" }, "rolling", "Production rollout")[0]).toMatch(/maxUnavailable 0/);
    expect(stepsOf({ ...base, target: "virtual-machines" }, "blue-green", "Production rollout")).toContain(
      "Switch the load balancer's target group from blue to green",
    );
    expect(pipelineSkeleton({ ...base, target: "kubernetes" }, "canary").at(-2)!.gate).toMatch(/canary's error rate and latency/);
  });

  it("runs expand migrations before the switch and contract migrations after, when releases change the schema", () => {
    const input = { ...base, target: "kubernetes" as const, databaseMigrations: true, zeroDowntime: true };
    expect(stepsOf(input, "blue-green", "Production rollout")[1]).toMatch(/^Apply the expand migration before the switch/);
    expect(stepsOf(input, "blue-green", "Post-deploy verification")).toContain(
      "Run the contract migration in a later release, once no running version needs the old schema",
    );
    expect(stepsOf(input, "blue-green", "Test")).toHaveLength(3);
    expect(stepsOf(base, "rolling", "Test")).toHaveLength(2);
    expect(stepsOf(base, "rolling", "Production rollout").join(" ")).not.toMatch(/migration/);
  });
});

describe("rollbackSkeleton", () => {
  it("triggers on error rate, latency and failed health checks", () => {
    const { triggers } = rollbackSkeleton({ ...base, target: "kubernetes" }, "rolling");
    expect(triggers.slice(0, 3)).toEqual([
      "Error rate (5xx) above 1%, or twice the baseline, for 5 minutes",
      "p95 latency more than 50% above the baseline for 10 minutes",
      "Failed health checks on the new version (readiness and liveness probes)",
    ]);
  });

  it("adds the canary comparison and migration failures when they apply", () => {
    expect(rollbackSkeleton(base, "canary").triggers).toContain("The canary's error rate or latency clearly worse than the stable version's");
    expect(rollbackSkeleton({ ...base, databaseMigrations: true }, "rolling").triggers).toContain("A migration failing, or holding locks beyond its window");
    expect(rollbackSkeleton(base, "rolling").triggers).toHaveLength(4);
  });

  it("undoes by the strategy", () => {
    expect(rollbackSkeleton({ ...base, target: "kubernetes" }, "blue-green").steps[0]).toBe("Switch the Service selector or ingress back to blue");
    expect(rollbackSkeleton({ ...base, target: "serverless" }, "canary").steps[0]).toBe("Shift all traffic back to the stable version through the alias");
    expect(rollbackSkeleton({ ...base, target: "kubernetes" }, "canary").steps[0]).toBe(
      "Shift all traffic back to the stable version through the traffic weights",
    );
    expect(rollbackSkeleton(base, "rolling").steps.slice(0, 2)).toEqual(["Stop the rollout", "Redeploy the previous artifact with the same rolling procedure"]);
    expect(rollbackSkeleton({ ...base, databaseMigrations: true }, "blue-green").steps).toContain(
      "Leave the schema as it is: the expand migration is backward compatible, and the contract migration runs only once the release is stable",
    );
  });
});
