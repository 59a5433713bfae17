/**
 * Anthropic's list prices in dollars per million tokens, by model: input, 5-minute cache write, cache read, output
 * (Anthropic's pricing page, checked 2026-11-30). The one table every cost in the platform comes from; a model
 * missing here is refused at boot rather than counted as free.
 */
export interface ModelPrice {
  input: number;
  cacheWrite: number;
  cacheRead: number;
  output: number;
}

const sonnet5: ModelPrice = { input: 2, cacheWrite: 2.5, cacheRead: 0.2, output: 10 };
const sonnet4: ModelPrice = { input: 3, cacheWrite: 3.75, cacheRead: 0.3, output: 15 };
const opus4: ModelPrice = { input: 5, cacheWrite: 6.25, cacheRead: 0.5, output: 25 };
const haiku4: ModelPrice = { input: 1, cacheWrite: 1.25, cacheRead: 0.1, output: 5 };

export const MODEL_PRICES: Readonly<Record<string, ModelPrice>> = {
  "claude-sonnet-5-5": sonnet5,
  "claude-sonnet-5": sonnet5,
  "claude-sonnet-4-6": sonnet4,
  "claude-sonnet-4-5": sonnet4,
  "claude-sonnet-4-5-20250929": sonnet4,
  "claude-opus-5": opus4,
  "claude-opus-5-5": { input: 4, cacheWrite: 5, cacheRead: 0.2, output: 20 },
  "claude-opus-4-8": opus4,
  "claude-opus-4-7": opus4,
  "claude-opus-4-6": opus4,
  "claude-opus-4-5": opus4,
  "claude-opus-4-5-20251101": opus4,
  "claude-haiku-4-5": haiku4,
  "claude-haiku-4-5-20251001": haiku4,
};

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
}

export const noUsage = (): TokenUsage => ({ inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 });

/** What a call cost, in dollars. */
export function costOf(model: string, usage: TokenUsage): number {
  const price = MODEL_PRICES[model];
  if (!price) throw new Error(`No price for model ${model}; add it to platform/src/llm/prices.ts`);
  return (
    (usage.inputTokens * price.input + usage.cacheWriteTokens * price.cacheWrite + usage.cacheReadTokens * price.cacheRead + usage.outputTokens * price.output) /
    1_000_000
  );
}
