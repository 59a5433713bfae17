import { z } from "zod";
import { list, text } from "./fields.ts";

export const deploymentStrategies = ["rolling", "blue-green", "canary"] as const;

export const deploymentAgentInput = z.strictObject({
  application: text("Application", 4000, "What it is, how it runs, what it depends on"),
  stack: text("Stack", 500, "Languages, frameworks, CI system").optional(),
  target: z.enum(["kubernetes", "virtual-machines", "serverless", "paas", "containers", "other"]).meta({ title: "Runs on" }).optional(),
  traffic: z.enum(["low", "medium", "high"]).meta({ title: "Traffic" }).optional(),
  databaseMigrations: z.boolean().meta({ title: "Releases change the database schema" }).optional(),
  zeroDowntime: z.boolean().meta({ title: "Must deploy without downtime" }).optional(),
  constraints: list("Constraints", 10, 300).optional(),
});

export const deploymentAgentOutput = z.object({
  strategy: z.object({ type: z.enum(deploymentStrategies), reasons: z.array(z.string()) }),
  pipeline: z.array(z.object({ stage: z.string(), steps: z.array(z.string()), gate: z.string().nullable() })),
  rollback: z.object({ triggers: z.array(z.string()), steps: z.array(z.string()) }),
  risks: z.array(z.string()),
  /** What the critique step found in the first plan, each addressed in this one. */
  critique: z.array(z.string()),
});
