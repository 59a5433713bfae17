import { describe, expect, it } from "vitest";
import { chooseStrategy, type DeploymentInput, type Strategy } from "./strategy.ts";

const base: DeploymentInput = { application: "A web shop" };

describe("chooseStrategy: the table", () => {
  it.each<[string, Partial<DeploymentInput>, Strategy, RegExp]>([
    [
      "zero downtime + migrations",
      { zeroDowntime: true, databaseMigrations: true },
      "blue-green",
      /^Zero downtime with database schema changes: blue-green .*expand migration/,
    ],
    [
      "… even on serverless",
      { zeroDowntime: true, databaseMigrations: true, target: "serverless" },
      "blue-green",
      /^Zero downtime with database schema changes/,
    ],
    [
      "… even with high traffic",
      { zeroDowntime: true, databaseMigrations: true, traffic: "high" },
      "blue-green",
      /^Zero downtime with database schema changes/,
    ],
    ["serverless", { target: "serverless" }, "canary", /^Serverless: .*weighted aliases/],
    ["serverless with low traffic", { target: "serverless", traffic: "low" }, "canary", /^Serverless/],
    ["serverless with migrations only", { target: "serverless", databaseMigrations: true }, "canary", /^Serverless/],
    ["high traffic", { traffic: "high", target: "kubernetes" }, "canary", /^High traffic: a canary/],
    ["high traffic with zero downtime", { traffic: "high", zeroDowntime: true }, "canary", /^High traffic/],
    ["zero downtime, no migrations", { zeroDowntime: true, traffic: "medium" }, "rolling", /^Zero downtime without schema changes/],
    ["low traffic, no zero-downtime need", { traffic: "low", zeroDowntime: false }, "rolling", /^Low traffic and no zero-downtime requirement/],
    ["medium traffic", { traffic: "medium", target: "virtual-machines" }, "rolling", /^Nothing calls for a second environment/],
    ["nothing given", {}, "rolling", /^Nothing calls for a second environment/],
  ])("%s → %s", (_, input, type, reason) => {
    const choice = chooseStrategy({ ...base, ...input });
    expect(choice.type).toBe(type);
    expect(choice.reasons[0]).toMatch(reason);
  });
});

describe("chooseStrategy: the other reasons", () => {
  it("asks for backward-compatible migrations when versions overlap outside blue-green", () => {
    const { reasons } = chooseStrategy({ ...base, traffic: "high", databaseMigrations: true, target: "kubernetes" });
    expect(reasons).toContain(
      "Old and new versions run side by side during a canary rollout: keep each migration backward compatible (expand before the rollout, contract in a later release).",
    );
  });

  it("warns to warm up the new environment of a busy blue-green switch", () => {
    const { reasons } = chooseStrategy({ ...base, zeroDowntime: true, databaseMigrations: true, traffic: "high", target: "kubernetes" });
    expect(reasons).toHaveLength(2);
    expect(reasons[1]).toMatch(/^High traffic: warm up the new environment/);
  });

  it("says what it assumed", () => {
    expect(chooseStrategy(base).reasons.slice(1)).toEqual([
      "Traffic was not given: it is taken as medium.",
      "Where it runs was not given: the pipeline names generic steps.",
    ]);
    expect(chooseStrategy({ ...base, traffic: "low", target: "paas" }).reasons).toHaveLength(1);
  });
});
