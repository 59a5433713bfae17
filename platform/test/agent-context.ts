import { type AgentId, type AgentOutput, CREDIT_PRICE_USD, findAgent } from "@bizbot/shared";
import type { AnthropicStandIn } from "@bizbot/testing";
import type { AgentContext, StepOutcome } from "../src/agents/definition.ts";
import { definitionOf } from "../src/agents/agents/index.ts";
import { RunModel } from "../src/agents/model.ts";
import type { SearchHit } from "../src/knowledge/repository.ts";
import { createMetrics } from "../src/lib/metrics.ts";
import { LlmGateway } from "../src/llm/gateway.ts";
import { createLogger } from "../src/log.ts";
import { DEFAULT_AGENT_SETTINGS, DEFAULT_CHAT, DEFAULT_RATE_LIMITS, DEFAULT_TRIAL_RUNS, type TenantSettings } from "../src/tenants/settings.ts";

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
 * gives (a test of the whole platform gives the real ones).
 */
export function agentContext(
  agentId: AgentId,
  standIn: AnthropicStandIn,
  options: {
    settings?: Partial<TenantSettings>;
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
  const controller = new AbortController();
  const model = new RunModel({
    llm,
    limits: definitionOf(agentId).limits,
    capUsd: (findAgent(agentId)!.credits * CREDIT_PRICE_USD) / 2,
    spentUsd: 0,
    instructions: options.instructions ?? "",
    signal: controller.signal,
  });
  const settings: TenantSettings = {
    rateLimits: DEFAULT_RATE_LIMITS,
    trialRuns: DEFAULT_TRIAL_RUNS,
    chat: DEFAULT_CHAT,
    agents: DEFAULT_AGENT_SETTINGS,
    escalationRules: null,
    ...options.settings,
  };
  const steps: string[] = [];
  const output: string[] = [];
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
  };
  return { ctx, steps, output, model };
}

/** Runs an agent as the runner does: the input parsed by its schema, the output checked by its schema. */
export async function runAgent<Id extends AgentId>(agentId: Id, input: unknown, run: TestRun): Promise<AgentOutput<Id>> {
  const spec = findAgent(agentId)!;
  const raw = await definitionOf(agentId).run(spec.input.parse(input), run.ctx);
  return spec.output.parse(raw) as AgentOutput<Id>;
}
