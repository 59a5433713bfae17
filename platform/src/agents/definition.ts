import type { Agent, AgentId } from "@bizbot/shared";
import type { Logger } from "pino";
import type { z } from "zod";
import type { SearchHit } from "../knowledge/repository.ts";
import type { TenantSettings } from "../tenants/settings.ts";
import { DomainError } from "../errors.ts";
import type { ModelLimits, RunModel } from "./model.ts";

type AgentOf<Id extends AgentId> = Extract<Agent, { id: Id }>;

/** What a step of a workflow came to (workflow-orchestrator). */
export interface StepOutcome {
  /** null when the step could not start (its input refused, the agent disabled, the credits short). */
  runId: string | null;
  status: "succeeded" | "failed";
  creditsCharged: number;
  output: unknown;
  error: string | null;
}

/** What an agent has while it runs: the model within its limits, the run's progress, the tenant's data. */
export interface AgentContext {
  tenantId: string;
  runId: string;
  model: RunModel;
  /** Names a stage of the work; listeners see it as a `step` event. */
  step(name: string): void;
  /** Long text as it is written; listeners see it as `output` events. */
  output(delta: string): void;
  /** The tenant's knowledge base, best passages first (BM25, fused with vectors when configured). */
  search(query: string, limit: number): Promise<SearchHit[]>;
  settings: TenantSettings;
  /** The agents the tenant has enabled. */
  enabledAgents: AgentId[];
  /** Runs another agent as step `index` of this run, charged at its own price (the workflow orchestrator). */
  runStep(index: number, agentId: AgentId, input: unknown): Promise<StepOutcome>;
  /**
   * What `make` gives, made once per run: a later attempt of the run (after a timeout, a dead worker) gets the saved
   * value back instead of making it again (a workflow's plan, which its steps already follow).
   */
  checkpoint<T>(name: string, make: () => Promise<T>): Promise<T>;
  signal: AbortSignal;
  log: Logger;
}

/**
 * One agent: its model limits and its work. `run` gets the input as its schema parsed it and returns the output its
 * schema describes; the runner checks that output before storing it.
 */
export interface AgentDefinition<Id extends AgentId = AgentId> {
  id: Id;
  /** Per attempt; the price's half caps the dollars (runner.ts). */
  limits: ModelLimits;
  /**
   * What a response-cache hit must match besides the input and the tenant's instructions: nothing more (`input`),
   * the knowledge base as it stands (`knowledge`), or never cached (false: the answer depends on the time).
   */
  cache: "input" | "knowledge" | false;
  /** A run's time limit in units of AGENT_TIMEOUT_SECONDS; default 1 (the orchestrator waits for its steps). */
  timeoutUnits?: number;
  run(input: z.output<AgentOf<Id>["input"]>, ctx: AgentContext): Promise<z.input<AgentOf<Id>["output"]>>;
}

export const defineAgent = <Id extends AgentId>(definition: AgentDefinition<Id>): AgentDefinition<Id> => definition;

/** A run that stops with part of its work done (a workflow at a failed step): the run fails, and keeps `partial` as its output. */
export class PartialResult extends DomainError {
  constructor(
    message: string,
    readonly partial: unknown,
  ) {
    super("unavailable", message);
  }
}
