import type { MessageCreateParams } from "@anthropic-ai/sdk/resources/messages";
import { type AgentId, type AgentOutput, CREDIT_PRICE_USD, findAgent } from "@bizbot/shared";
import { type AnthropicStandIn, lastUserText, startAnthropicStandIn } from "@bizbot/testing";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { AgentContext, StepOutcome } from "../src/agents/definition.ts";
import { definitionOf } from "../src/agents/agents/index.ts";
import { RunModel } from "../src/agents/model.ts";
import { byteLength } from "../src/agents/prompt.ts";
import type { SearchHit } from "../src/knowledge/repository.ts";
import { createMetrics } from "../src/lib/metrics.ts";
import { LlmGateway } from "../src/llm/gateway.ts";
import { createLogger } from "../src/log.ts";
import {
  DEFAULT_AGENT_SETTINGS,
  DEFAULT_CHAT,
  DEFAULT_RATE_LIMITS,
  DEFAULT_RETENTION,
  DEFAULT_TRIAL_RUNS,
  DEFAULT_WIDGET,
  type TenantSettings,
} from "../src/tenants/settings.ts";

/** The model the agents use by default (ANTHROPIC_MODEL). */
export const AGENT_MODEL = "claude-sonnet-5-5";

export interface TestRun {
  ctx: AgentContext;
  steps: string[];
  output: string[];
  model: RunModel;
}

/**
 * An agent's context for a test of the agent alone: the real gateway and RunModel against the Anthropic stand-in,
 * with the agent's own limits and the cap its price sets. Knowledge search and workflow steps are what the test
 * gives (a test of the whole platform gives the real ones). `instructions` are the tenant's for this agent, as the
 * runner gives them: to the model's prompt and in the settings alike (by default, those the settings hold).
 */
export function agentContext(
  agentId: AgentId,
  standIn: AnthropicStandIn,
  options: {
    settings?: Partial<TenantSettings>;
    /** The tenant's instructions to the agent. */
    instructions?: string;
    search?: (query: string, limit: number) => Promise<SearchHit[]>;
    runStep?: (index: number, agentId: AgentId, input: unknown) => Promise<StepOutcome>;
    model?: string;
  } = {},
): TestRun {
  const llm = new LlmGateway({
    apiKey: "test-key",
    baseURL: standIn.url,
    model: options.model ?? AGENT_MODEL,
    log: createLogger("silent"),
    metrics: createMetrics(),
  });
  const given: TenantSettings = {
    rateLimits: DEFAULT_RATE_LIMITS,
    trialRuns: DEFAULT_TRIAL_RUNS,
    chat: DEFAULT_CHAT,
    agents: DEFAULT_AGENT_SETTINGS,
    escalationRules: null,
    widget: DEFAULT_WIDGET,
    retention: DEFAULT_RETENTION,
    ...options.settings,
  };
  const instructions = options.instructions ?? given.agents[agentId].instructions;
  const settings: TenantSettings = { ...given, agents: { ...given.agents, [agentId]: { ...given.agents[agentId], instructions } } };
  const controller = new AbortController();
  const model = new RunModel({
    llm,
    limits: definitionOf(agentId).limits,
    capUsd: (findAgent(agentId)!.credits * CREDIT_PRICE_USD) / 2,
    spentUsd: 0,
    instructions,
    signal: controller.signal,
  });
  const steps: string[] = [];
  const output: string[] = [];
  const checkpoints = new Map<string, unknown>();
  const ctx: AgentContext = {
    tenantId: "ten_test",
    runId: "run_test",
    model,
    step: (name) => steps.push(name),
    output: (delta) => output.push(delta),
    search: options.search ?? (async () => []),
    settings,
    enabledAgents: Object.keys(DEFAULT_AGENT_SETTINGS) as AgentId[],
    runStep:
      options.runStep ??
      (async () => {
        throw new Error("this test gives no workflow steps");
      }),
    signal: controller.signal,
    log: createLogger("silent"),
    checkpoint: async <T>(name: string, make: () => Promise<T>) => {
      if (!checkpoints.has(name)) checkpoints.set(name, await make());
      return checkpoints.get(name) as T;
    },
  };
  return { ctx, steps, output, model };
}

/** Runs an agent as the runner does: the input parsed by its schema, the output checked by its schema. */
export async function runAgent<Id extends AgentId>(agentId: Id, input: unknown, run: TestRun): Promise<AgentOutput<Id>> {
  const spec = findAgent(agentId)!;
  const raw = await definitionOf(agentId).run(spec.input.parse(input), run.ctx);
  return spec.output.parse(raw) as AgentOutput<Id>;
}

/**
 * The Anthropic stand-in for a test file: started before its tests, closed after them, its recorded requests cleared
 * before each. The getter gives the running stand-in.
 */
export function useAnthropicStandIn(): () => AnthropicStandIn {
  let standIn: AnthropicStandIn | undefined;
  beforeAll(async () => {
    standIn = await startAnthropicStandIn();
  });
  afterAll(() => standIn?.close());
  beforeEach(() => {
    standIn!.requests.length = 0;
  });
  return () => standIn!;
}

/** The body of the stand-in's `i`th request. */
export const requestBody = (standIn: AnthropicStandIn, i: number) => standIn.requests[i]!.body as MessageCreateParams;

/** What RunModel measures of its `i`th call: both system blocks, the message and the answer's schema (when it asked for one). */
export function promptBytes(standIn: AnthropicStandIn, i: number): number {
  const body = requestBody(standIn, i);
  const schema = body.output_config?.format?.schema;
  return (
    byteLength((body.system as Array<{ text: string }>).map((b) => b.text).join("")) +
    byteLength(lastUserText(body)) +
    (schema === undefined ? 0 : byteLength(JSON.stringify(schema)))
  );
}
