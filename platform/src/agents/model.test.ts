import { z } from "zod";
import { describe, expect, it } from "vitest";
import { useAnthropicStandIn } from "../../test/agent-context.ts";
import { createMetrics } from "../lib/metrics.ts";
import { LlmGateway } from "../llm/gateway.ts";
import { costOf } from "../llm/models.ts";
import { createLogger } from "../log.ts";
import { RunModel, UnfitAnswer } from "./model.ts";
import { AGENT_RULES, byteLength, jobPrompt } from "./prompt.ts";

const standIn = useAnthropicStandIn();
const MODEL = "claude-sonnet-5-5";
const limits = { calls: 2, maxPromptBytes: 4000, maxOutputTokens: 500 };
const answer = z.object({ verdict: z.enum(["yes", "no"]), reason: z.string().max(40) });

function runModel(options: { capUsd?: number; spentUsd?: number; signal?: AbortSignal } = {}) {
  const costs: number[] = [];
  const llm = new LlmGateway({ apiKey: "k", baseURL: standIn().url, model: MODEL, log: createLogger("silent"), metrics: createMetrics(), maxAttempts: 1 });
  const model = new RunModel({
    llm,
    limits,
    capUsd: options.capUsd ?? 1,
    spentUsd: options.spentUsd ?? 0,
    instructions: "",
    signal: options.signal ?? new AbortController().signal,
    onCost: async (usd) => void costs.push(usd),
  });
  return { model, costs, total: () => costs.reduce((a, b) => a + b, 0) };
}

describe("RunModel", () => {
  it("counts a call's worst case before it and corrects it to the real cost after", async () => {
    standIn().script(JSON.stringify({ verdict: "yes", reason: "It fits." }));
    const { model, costs, total } = runModel();
    expect(await model.json({ job: "Decide.", prompt: "Is it so?", schema: answer })).toEqual({ verdict: "yes", reason: "It fits." });
    expect(costs).toHaveLength(2);
    expect(costs[0]).toBeGreaterThan(0);
    expect(total()).toBeCloseTo(model.costUsd, 9);
    const usage = standIn().responses[0]!.usage!;
    expect(model.costUsd).toBeCloseTo(
      costOf(MODEL, {
        inputTokens: usage.input_tokens,
        outputTokens: usage.output_tokens,
        cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
        cacheReadTokens: usage.cache_read_input_tokens ?? 0,
      }),
      9,
    );
  });

  it("returns the reservation of a call refused before any output, and keeps that of a call cut off", async () => {
    standIn().script({ kind: "error", type: "rate_limit_error" });
    const refused = runModel();
    await expect(refused.model.text({ job: "Write.", prompt: "Go." })).rejects.toThrow();
    expect(refused.total()).toBeCloseTo(0, 9);

    // A call the attempt's time limit cuts off may have been billed: its worst case stays counted.
    standIn().script({ kind: "hang" });
    const controller = new AbortController();
    const cut = runModel({ signal: controller.signal });
    const pending = cut.model.text({ job: "Write.", prompt: "Go." });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toThrow(/cancelled/);
    expect(cut.total()).toBeGreaterThan(0);
    expect(cut.model.costUsd).toBeCloseTo(cut.total(), 9);
  });

  it("asks for fewer output tokens when the cap is near, and makes no call that cannot fit", async () => {
    // Room for about 300 output tokens once the prompt's worst case is counted.
    const bytes = byteLength(AGENT_RULES + jobPrompt("Write.", "")) + byteLength("Go.");
    const promptWorst = costOf(MODEL, { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: bytes, outputTokens: 0 });
    const perToken = costOf(MODEL, { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 1 });
    const tight = runModel({ capUsd: 0.02, spentUsd: 0.02 - promptWorst - 300 * perToken });
    standIn().script("Short.");
    await tight.model.text({ job: "Write.", prompt: "Go." });
    // 300, give or take the rounding of dollars.
    expect((standIn().requests.at(-1)!.body as { max_tokens: number }).max_tokens).toBeGreaterThanOrEqual(299);
    expect((standIn().requests.at(-1)!.body as { max_tokens: number }).max_tokens).toBeLessThanOrEqual(300);

    const spent = runModel({ capUsd: 0.02, spentUsd: 0.02 });
    const calls = standIn().requests.length;
    await expect(spent.model.text({ job: "Write.", prompt: "Go." })).rejects.toThrow(/more model work than its price allows/);
    expect(standIn().requests.length).toBe(calls);
  });

  it("repairs an unfit answer once, and says when even the repair did not fit", async () => {
    standIn().script(JSON.stringify({ verdict: "yes", reason: "x".repeat(80) }), JSON.stringify({ verdict: "no", reason: "Shorter." }));
    const { model } = runModel();
    expect(await model.json({ job: "Decide.", prompt: "Is it so?", schema: answer })).toEqual({ verdict: "no", reason: "Shorter." });
    expect(JSON.stringify(standIn().requests.at(-1)!.body)).toContain("<problems>");

    standIn().script(JSON.stringify({ verdict: "yes", reason: "x".repeat(80) }), JSON.stringify({ verdict: "yes", reason: "y".repeat(80) }));
    const again = runModel();
    const error = await again.model.json({ job: "Decide.", prompt: "Is it so?", schema: answer }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnfitAnswer);
    expect((error as Error).message).toMatch(/even after a repair/);
  });
});
