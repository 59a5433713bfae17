import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAnthropicStandIn, type AnthropicStandIn } from "@bizbot/testing";
import type { Counter } from "prom-client";
import { createMetrics, type Metrics } from "../lib/metrics.ts";
import { createLogger } from "../log.ts";
import { CircuitBreaker } from "./breaker.ts";
import { LlmError, LlmGateway, type GatewayOptions, type LlmRequest } from "./gateway.ts";
import { costOf, MODELS } from "./models.ts";

const MODEL = "claude-sonnet-5-5";
let server: AnthropicStandIn;
let metrics: Metrics;

beforeAll(async () => {
  server = await startAnthropicStandIn();
});
afterAll(() => server?.close());
beforeEach(() => {
  metrics = createMetrics();
  server.requests.length = 0;
  server.responses.length = 0;
});

const gateway = (options: Partial<GatewayOptions> = {}) =>
  new LlmGateway({ apiKey: "test-key", baseURL: server.url, model: MODEL, log: createLogger("silent"), metrics, ...options });

/** A prompt whose stable part is long enough to be cached (over 1,024 tokens). */
const longRules = `Rules for the assistant. ${"Answer from the passages and cite them. ".repeat(120)}`;
const request = (messages: LlmRequest["messages"] = [{ role: "user", content: "Hello?" }], persona = "Your name is Ada."): LlmRequest => ({
  system: [longRules, persona],
  messages,
  tools: [{ name: "suggest_actions", description: "Offer next steps", input_schema: { type: "object", properties: {} } }],
  maxTokens: 256,
});

async function count(counter: Counter<string>, labels: Record<string, string>): Promise<number> {
  const { values } = await counter.get();
  return values.filter((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value)).reduce((sum, v) => sum + v.value, 0);
}

describe("LLM gateway", () => {
  it("streams the reply piece by piece and counts its tokens and dollars", async () => {
    server.script({ kind: "text", text: ["Hello", " there", ", friend", "!"] });
    const pieces: string[] = [];
    const result = await gateway().stream(request(), { onText: (t) => pieces.push(t) });
    expect(pieces).toEqual(["Hello", " there", ", friend", "!"]);
    expect(result.text).toBe("Hello there, friend!");
    const reported = server.responses[0]!.usage!;
    expect(result.usage).toEqual({
      inputTokens: reported.input_tokens,
      outputTokens: reported.output_tokens,
      cacheWriteTokens: reported.cache_creation_input_tokens ?? 0,
      cacheReadTokens: reported.cache_read_input_tokens ?? 0,
    });
    expect(result.costUsd).toBeCloseTo(costOf(MODEL, result.usage), 12);
    expect(await count(metrics.llm.tokens, { type: "output" })).toBe(result.usage.outputTokens);
    expect(await count(metrics.llm.calls, { outcome: "ok" })).toBe(1);
  });

  it("marks tools, system prompt and the whole conversation for caching, and the next turn reads them", async () => {
    const llm = gateway();
    // A persona of its own: the stand-in's cache, like Anthropic's, outlives a test.
    const persona = "Your name is Grace.";
    const first = await llm.stream(request(undefined, persona));
    // The rules (after the tools) may already be cached by an earlier test, as they would be by another tenant.
    const firstCached = first.usage.cacheWriteTokens + first.usage.cacheReadTokens;
    expect(firstCached).toBeGreaterThan(1024);
    expect(first.usage.cacheWriteTokens).toBeGreaterThan(0);
    const second = await llm.stream(
      request(
        [
          { role: "user", content: "Hello?" },
          { role: "assistant", content: first.text },
          { role: "user", content: "And then?" },
        ],
        persona,
      ),
    );
    expect(second.usage.cacheReadTokens).toBeGreaterThanOrEqual(firstCached);
    // Only what is new in the second turn is written.
    expect(second.usage.cacheWriteTokens).toBeLessThan(100);

    const body = server.requests[1]!.body as {
      system: Array<{ cache_control?: unknown }>;
      tools: Array<{ cache_control?: unknown }>;
      messages: Array<{ content: Array<{ cache_control?: unknown }> | string }>;
    };
    expect(body.system.map((b) => b.cache_control)).toEqual([{ type: "ephemeral" }, { type: "ephemeral" }]);
    expect(body.tools.at(-1)!.cache_control).toEqual({ type: "ephemeral" });
    // The newest question ends the cached prefix: the next turn reads all of this one.
    expect((body.messages[2]!.content as Array<{ cache_control?: unknown }>).at(-1)!.cache_control).toEqual({ type: "ephemeral" });
    expect(typeof body.messages[1]!.content).toBe("string");
  });

  it("retries two overloaded answers and answers once; the retries show in the metrics", async () => {
    server.script({ kind: "error", type: "overloaded_error" }, { kind: "error", type: "overloaded_error" }, "Recovered.");
    const pieces: string[] = [];
    const result = await gateway().stream(request(), { onText: (t) => pieces.push(t) });
    expect(result).toMatchObject({ text: "Recovered.", attempts: 3 });
    expect(pieces.join("")).toBe("Recovered.");
    expect(server.requests).toHaveLength(3);
    expect(await count(metrics.llm.retries, { class: "overloaded" })).toBe(2);
    expect(await count(metrics.llm.errors, { class: "overloaded" })).toBe(2);
  });

  it("waits as long as retry-after says on a 429", async () => {
    server.script({ kind: "error", type: "rate_limit_error", retryAfterSeconds: 1 }, "Later.");
    const started = performance.now();
    const result = await gateway().stream(request());
    expect(result.attempts).toBe(2);
    expect(server.requests[1]!.receivedAt - server.requests[0]!.receivedAt).toBeGreaterThanOrEqual(950);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await count(metrics.llm.retries, { class: "rate_limited" })).toBe(1);
  });

  it("never retries an invalid request, a spend limit or a retry-after longer than it may wait", async () => {
    server.script({ kind: "error", type: "invalid_request_error", message: "max_tokens: too large" });
    await expect(gateway().stream(request())).rejects.toMatchObject({ failure: "invalid_request" });
    server.script({ kind: "error", type: "billing_error", message: "Your credit balance is too low" });
    await expect(gateway().stream(request())).rejects.toMatchObject({ failure: "billing" });
    server.script({ kind: "error", type: "rate_limit_error", retryAfterSeconds: 120 });
    await expect(gateway().stream(request())).rejects.toMatchObject({ failure: "rate_limited" });
    expect(server.requests).toHaveLength(3);
    expect(await count(metrics.llm.retries, {})).toBe(0);
  });

  it("does not retry once text has reached the reader: a retry would repeat it", async () => {
    server.script({ kind: "stream_error", text: ["Half", " an answer"] }, "Never asked for.");
    const pieces: string[] = [];
    await expect(gateway().stream(request(), { onText: (t) => pieces.push(t) })).rejects.toMatchObject({ failure: "overloaded" });
    expect(pieces).toEqual(["Half", " an answer"]);
    expect(server.requests).toHaveLength(1);
    expect(server.pending).toBe(1);
    server.script(); // the queued reply is left for the next test
    await gateway().stream(request());
  });

  it("gives up on a slow first token after its timeout, and tries again", async () => {
    server.script({ kind: "text", text: "Too late.", firstTokenDelayMs: 2_000 }, "In time.");
    const result = await gateway({ firstTokenTimeoutMs: 300 }).stream(request());
    expect(result).toMatchObject({ text: "In time.", attempts: 2 });
    expect(await count(metrics.llm.errors, { class: "timeout" })).toBe(1);
  });

  it("opens the circuit after repeated failures, then fails fast without calling the provider", async () => {
    let now = 0;
    const breaker = new CircuitBreaker(2, 30_000, () => now);
    const llm = gateway({ breaker, maxAttempts: 1 });
    server.script({ kind: "error", type: "api_error" }, { kind: "error", type: "api_error" });
    for (let i = 0; i < 2; i++) await expect(llm.stream(request())).rejects.toMatchObject({ failure: "server" });
    await expect(llm.stream(request())).rejects.toMatchObject({ failure: "circuit_open" });
    expect(server.requests).toHaveLength(2);
    // After the cooldown one trial goes through, and its success closes the circuit.
    now += 30_001;
    expect((await llm.stream(request())).text.length).toBeGreaterThan(0);
    expect(breaker.state).toBe("closed");
  });

  it("ends a call with its own failure when that failure opens the circuit, and counts every failed call", async () => {
    const breaker = new CircuitBreaker(2);
    const llm = gateway({ breaker, maxAttempts: 3 });
    server.script({ kind: "error", type: "overloaded_error" }, { kind: "error", type: "overloaded_error" });
    await expect(llm.stream(request())).rejects.toMatchObject({ failure: "overloaded" });
    expect(server.requests).toHaveLength(2);
    expect(await count(metrics.llm.retries, {})).toBe(1);
    await expect(llm.stream(request())).rejects.toMatchObject({ failure: "circuit_open" });
    expect(await count(metrics.llm.calls, { model: MODEL, outcome: "error" })).toBe(2);
  });

  it("has every model answer without thinking first, each by the switch its generation takes", async () => {
    // The stand-in thinks first by default on Claude 5 models and refuses the switches a generation does not take.
    const expected: Record<string, object> = {
      "claude-sonnet-5-5": { thinking: { type: "between_tools" } },
      "claude-haiku-5-5": { thinking: { type: "disabled" } },
      "claude-opus-5-5": { output_config: { effort: "low" } },
      "claude-sonnet-4-6": {},
    };
    for (const model of Object.keys(MODELS)) {
      server.script({ kind: "text", text: ["Ready", "."], thinkingTokens: 300 });
      const result = await gateway({ model }).stream(request());
      expect(result.text, model).toBe("Ready.");
      expect(result.usage.outputTokens, model).toBe(2);
      const body = server.requests.at(-1)!.body as Record<string, unknown>;
      if (expected[model])
        expect({ thinking: body.thinking, output_config: body.output_config }).toEqual({ thinking: undefined, output_config: undefined, ...expected[model] });
    }
  });

  it("prices a call from the model's table, Haiku 5.5's long prompts at their own rates", () => {
    const usage = (prompt: number) => ({ inputTokens: prompt, cacheWriteTokens: 0, cacheReadTokens: 0, outputTokens: 1_000 });
    expect(costOf("claude-sonnet-5-5", { inputTokens: 1_000, cacheWriteTokens: 1_000, cacheReadTokens: 1_000, outputTokens: 1_000 })).toBeCloseTo(
      (2 + 2.5 + 0.1 + 10) / 1_000,
      12,
    );
    expect(costOf("claude-haiku-5-5", usage(100_000))).toBeCloseTo((100_000 * 0.1 + 1_000 * 0.5) / 1e6, 12);
    // One token over the line and the whole request, output included, is billed at the long-prompt rates.
    expect(costOf("claude-haiku-5-5", { ...usage(60_000), cacheReadTokens: 40_001 })).toBeCloseTo((60_000 * 0.5 + 40_001 * 0.05 + 1_000 * 2.5) / 1e6, 12);
  });

  it("answers with the model a request names, counted under that model", async () => {
    server.script({ kind: "text", text: ["Hi", "."] });
    const result = await gateway().stream({ ...request(), model: "claude-haiku-5-5" });
    expect((server.requests[0]!.body as { model: string; thinking: unknown }).model).toBe("claude-haiku-5-5");
    expect((server.requests[0]!.body as { thinking: unknown }).thinking).toEqual({ type: "disabled" });
    expect(result).toMatchObject({ model: "claude-haiku-5-5", costUsd: costOf("claude-haiku-5-5", result.usage) });
    expect(await count(metrics.llm.calls, { model: "claude-haiku-5-5", outcome: "ok" })).toBe(1);
    expect(await count(metrics.llm.calls, { model: MODEL })).toBe(0);
  });

  it("refuses a model it has no price for, before calling anyone", async () => {
    expect(() => gateway({ model: "claude-unknown-9" })).toThrow(/No price for model claude-unknown-9/);
    const breaker = new CircuitBreaker(1);
    await expect(gateway({ breaker }).stream({ ...request(), model: "claude-unknown-9" })).rejects.toThrow(/No price for model claude-unknown-9/);
    expect(server.requests).toHaveLength(0);
    expect(breaker.state).toBe("closed");
    expect(new LlmError("timeout", "x").failure).toBe("timeout");
  });
});
