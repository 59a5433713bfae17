import type { MessageCreateParams, Usage } from "@anthropic-ai/sdk/resources/messages";

/** Dollars per million tokens: input, 5-minute cache write, cache read, output. */
export interface ModelPrice {
  input: number;
  cacheWrite: number;
  cacheRead: number;
  output: number;
}

/**
 * What the platform must know of a Claude model to call it: its list prices, and how to have it answer without
 * thinking first. The one table every cost in the platform comes from; a model missing here is refused at boot
 * rather than counted as free.
 */
export interface ModelSpec {
  price: ModelPrice;
  /** Some models bill a whole request at other rates when its prompt (input, cache writes and reads) is over `overTokens`. */
  longPrompt?: { overTokens: number; price: ModelPrice };
  /**
   * Request fields that keep the model from thinking before it answers. Claude 5 models think by default (adaptive,
   * at effort high): thinking is billed as output and comes before the first token a visitor sees, and an answer
   * drawn from passages already given needs none. Each generation takes its own switch and answers the others 400.
   */
  answerNow: Partial<Pick<MessageCreateParams, "thinking" | "output_config">>;
}

// Anthropic's pricing page and each model's migration guide, read 2026-11-30. Cache reads cost 0.1x input, except on
// Sonnet 5.5 and Opus 5.5 (0.05x), Fable 5.1 (0.025x) and Fable 5.2 (0.025x); Haiku 5.5 bills prompts over 100,000
// tokens at five times its base rates.
const price = (input: number, cacheRead: number, output: number): ModelPrice => ({ input, cacheWrite: input * 1.25, cacheRead, output });
const noThinking = { thinking: { type: "disabled" } } as const;
/** Models before Claude 5 think only when asked. */
const asked = {};

const sonnet4: ModelSpec = { price: price(3, 0.3, 15), answerNow: asked };
const haiku4: ModelSpec = { price: price(1, 0.1, 5), answerNow: asked };
const opus4: ModelSpec = { price: price(5, 0.5, 25), answerNow: asked };

export const MODELS: Readonly<Record<string, ModelSpec>> = {
  // Sonnet 5.5 refuses `disabled`; `between_tools` keeps thinking to after tool results, which a chat answer never has.
  "claude-sonnet-5-5": { price: price(2, 0.1, 10), answerNow: { thinking: { type: "between_tools" } } },
  "claude-sonnet-5": { price: price(2, 0.2, 10), answerNow: noThinking },
  "claude-sonnet-4-6": sonnet4,
  "claude-sonnet-4-5": sonnet4,
  "claude-sonnet-4-5-20250929": sonnet4,
  "claude-haiku-5-5": { price: price(0.1, 0.01, 0.5), longPrompt: { overTokens: 100_000, price: price(0.5, 0.05, 2.5) }, answerNow: noThinking },
  "claude-haiku-4-5": haiku4,
  "claude-haiku-4-5-20251001": haiku4,
  // Opus 5.5 and the Fable models always think; at effort low they skip it for simple requests.
  "claude-opus-5-5": { price: price(4, 0.2, 20), answerNow: { output_config: { effort: "low" } } },
  "claude-opus-5": { price: price(5, 0.5, 25), answerNow: noThinking },
  "claude-opus-4-8": opus4,
  "claude-opus-4-7": opus4,
  "claude-opus-4-6": opus4,
  "claude-opus-4-5": opus4,
  "claude-opus-4-5-20251101": opus4,
  "claude-fable-5-2": { price: price(8, 0.2, 40), answerNow: { output_config: { effort: "low" } } },
  "claude-fable-5-1": { price: price(10, 0.25, 50), answerNow: { output_config: { effort: "low" } } },
  "claude-fable-5": { price: price(10, 1, 50), answerNow: { output_config: { effort: "low" } } },
};

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
}

export const noUsage = (): TokenUsage => ({ inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 });

/** The API's usage block as the platform counts it (the cache fields are absent when nothing was cached). */
export const usageOf = (usage: Pick<Usage, "input_tokens" | "output_tokens" | "cache_creation_input_tokens" | "cache_read_input_tokens">): TokenUsage => ({
  inputTokens: usage.input_tokens,
  outputTokens: usage.output_tokens,
  cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
  cacheReadTokens: usage.cache_read_input_tokens ?? 0,
});

/** Whether the platform knows `model` (an own key: `constructor` is not a model). */
export const knownModel = (model: string) => Object.hasOwn(MODELS, model);

export function modelSpec(model: string): ModelSpec {
  const spec = knownModel(model) ? MODELS[model] : undefined;
  if (!spec) throw new Error(`No price for model ${model}; add it to platform/src/llm/models.ts`);
  return spec;
}

/** What a call cost, in dollars. */
export function costOf(model: string, usage: TokenUsage): number {
  const spec = modelSpec(model);
  const prompt = usage.inputTokens + usage.cacheWriteTokens + usage.cacheReadTokens;
  const price = spec.longPrompt && prompt > spec.longPrompt.overTokens ? spec.longPrompt.price : spec.price;
  return (
    (usage.inputTokens * price.input +
      usage.cacheWriteTokens * price.cacheWrite +
      usage.cacheReadTokens * price.cacheRead +
      usage.outputTokens * price.output) /
    1_000_000
  );
}
