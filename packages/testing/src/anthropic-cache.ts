import { createHash } from "node:crypto";
import type { CacheCreation, MessageCreateParams } from "@anthropic-ai/sdk/resources/messages";

/**
 * Token counts and prompt caching as the Anthropic stand-in does them. Tokens are a quarter of a piece's JSON
 * characters, rounded up: deterministic, and near enough to real counts that cost arithmetic looks plausible.
 */

/** Anthropic's documented limit of `cache_control` breakpoints in one request. */
export const MAX_CACHE_BREAKPOINTS = 4;
/** The real cache looks for an earlier entry at most about this many blocks before each breakpoint. */
const LOOKBACK_BLOCKS = 20;
const TTL_MS = { "5m": 5 * 60_000, "1h": 60 * 60_000 } as const;
type Ttl = keyof typeof TTL_MS;

/** One block of the prompt in cache order (tools → system → messages), with the hash of everything up to it. */
export interface PromptBlock {
  tokens: number;
  /** Tokens of this block and every block before it. */
  prefixTokens: number;
  prefixHash: string;
  /** Set when the block carries `cache_control` (or is the last block and the request has a top-level one). */
  breakpoint?: Ttl;
}

export interface InputUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: CacheCreation;
}

const tokensOf = (value: unknown) => Math.ceil(JSON.stringify(value).length / 4);

/** Input tokens of a request as the stand-in counts them, cached or not: what `input_tokens` would be without caching. */
export function countInputTokens(body: MessageCreateParams): number {
  return promptBlocks(body).at(-1)?.prefixTokens ?? 0;
}

/**
 * The prompt cut into the blocks a cache breakpoint can end on. `cache_control` itself is left out of each block's
 * hash, so moving a breakpoint along a conversation still finds the prefix an earlier request cached.
 */
export function promptBlocks(body: MessageCreateParams): PromptBlock[] {
  const pieces: Array<{ where: string; block: object }> = [];
  for (const tool of body.tools ?? []) pieces.push({ where: "tool", block: tool });
  const system = typeof body.system === "string" ? [{ type: "text", text: body.system }] : (body.system ?? []);
  for (const block of system) pieces.push({ where: "system", block });
  body.messages.forEach((message, i) => {
    const content = typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content;
    for (const block of content) pieces.push({ where: `message ${i} ${message.role}`, block });
  });

  let hash = createHash("sha256").update(`model ${body.model}`).digest("hex");
  let prefixTokens = 0;
  const blocks = pieces.map(({ where, block }): PromptBlock => {
    const { cache_control: cacheControl, ...content } = block as { cache_control?: { ttl?: Ttl } | null };
    const tokens = tokensOf(content);
    prefixTokens += tokens;
    hash = createHash("sha256")
      .update(`${hash}\n${where}\n${JSON.stringify(content)}`)
      .digest("hex");
    return { tokens, prefixTokens, prefixHash: hash, ...(cacheControl ? { breakpoint: cacheControl.ttl ?? "5m" } : {}) };
  });
  // A top-level cache_control puts a breakpoint on the last block, taking one of the four slots.
  const last = blocks.at(-1);
  if (body.cache_control && last && !last.breakpoint) last.breakpoint = body.cache_control.ttl ?? "5m";
  return blocks;
}

/**
 * Prefixes seen before, by hash, each until its TTL runs out (refreshed by every read, as the real cache is).
 * A request reads the longest cached prefix ending within the lookback window of any of its breakpoints, writes
 * everything from there to its last breakpoint, and pays plain input for the rest. A prefix shorter than
 * `minTokens` is never cached.
 */
export class PromptCache {
  private readonly entries = new Map<string, { expiresAt: number; ttl: Ttl }>();

  constructor(
    private readonly minTokens: number,
    private readonly now: () => number,
  ) {}

  account(blocks: PromptBlock[]): InputUsage {
    const total = blocks.at(-1)?.prefixTokens ?? 0;
    const breakpoints = blocks.flatMap((block, i) => (block.breakpoint ? [i] : []));
    const lastBreakpoint = breakpoints.at(-1);
    const cachedEnd = lastBreakpoint === undefined ? 0 : blocks[lastBreakpoint]!.prefixTokens;
    if (lastBreakpoint === undefined || cachedEnd < this.minTokens) {
      return {
        input_tokens: total,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      };
    }

    const now = this.now();
    let readEnd = -1;
    for (const breakpoint of breakpoints) {
      for (let i = breakpoint; i >= Math.max(0, breakpoint - LOOKBACK_BLOCKS + 1); i--) {
        const entry = this.entries.get(blocks[i]!.prefixHash);
        if (entry && entry.expiresAt > now) {
          readEnd = Math.max(readEnd, i);
          break;
        }
      }
    }
    const read = readEnd < 0 ? 0 : blocks[readEnd]!.prefixTokens;
    const hit = readEnd < 0 ? undefined : this.entries.get(blocks[readEnd]!.prefixHash);
    if (hit) hit.expiresAt = now + TTL_MS[hit.ttl];

    // What is written is billed at the TTL of the breakpoint that ends it.
    const creation = { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 };
    let start = read;
    for (const i of breakpoints) {
      const { prefixTokens, prefixHash, breakpoint: ttl } = blocks[i]!;
      if (prefixTokens >= this.minTokens) this.entries.set(prefixHash, { expiresAt: now + TTL_MS[ttl!], ttl: ttl! });
      if (prefixTokens <= start) continue;
      creation[ttl === "1h" ? "ephemeral_1h_input_tokens" : "ephemeral_5m_input_tokens"] += prefixTokens - start;
      start = prefixTokens;
    }
    return { input_tokens: total - cachedEnd, cache_creation_input_tokens: cachedEnd - read, cache_read_input_tokens: read, cache_creation: creation };
  }
}
