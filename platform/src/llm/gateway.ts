import Anthropic, { APIConnectionError, APIError } from "@anthropic-ai/sdk";
import type { MessageParam, TextBlockParam, Tool, ToolChoice } from "@anthropic-ai/sdk/resources/messages";
import type { Logger } from "pino";
import type { Metrics } from "../lib/metrics.ts";
import { CircuitBreaker } from "./breaker.ts";
import { costOf, modelSpec, usageOf, type TokenUsage } from "./models.ts";

export interface LlmRequest {
  /** The model to answer; the gateway's own (ANTHROPIC_MODEL) when none is named. */
  model?: string;
  /**
   * System prompt blocks, most stable first (platform rules, then the tenant's persona); at most two. Each ends a
   * cached prefix: tools and these blocks are read from Anthropic's prompt cache after the first call.
   */
  system: [string] | [string, string];
  messages: MessageParam[];
  tools?: Tool[];
  toolChoice?: ToolChoice;
  maxTokens: number;
  /** Structured output: the answer's text is JSON fitting this schema (in the subset Anthropic accepts). */
  format?: { type: "json_schema"; schema: Record<string, unknown> };
}

export interface LlmResult {
  model: string;
  text: string;
  toolUses: Array<{ name: string; input: unknown }>;
  stopReason: string | null;
  usage: TokenUsage;
  costUsd: number;
  attempts: number;
}

/** Why a call failed, as far as what to do next is concerned. */
export type LlmFailure =
  | "rate_limited"
  | "overloaded"
  | "server"
  | "timeout"
  | "connection"
  | "invalid_request"
  | "auth"
  | "billing"
  | "circuit_open"
  | "aborted";

const RETRYABLE: ReadonlySet<LlmFailure> = new Set(["rate_limited", "overloaded", "server", "timeout", "connection"]);

export class LlmError extends Error {
  override name = "LlmError";
  constructor(
    readonly failure: LlmFailure,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface GatewayOptions {
  apiKey: string;
  baseURL?: string | undefined;
  /** The model of requests that name none. */
  model: string;
  log: Logger;
  metrics: Metrics;
  /** Attempts per call, the first included. */
  maxAttempts?: number;
  /** Longest wait for the first token of an attempt. */
  firstTokenTimeoutMs?: number;
  /** Longest a whole attempt may take. */
  timeoutMs?: number;
  /** A retry is not worth waiting longer than this for: the caller answers another way (the extractive fallback). */
  maxRetryDelayMs?: number;
  breaker?: CircuitBreaker;
}

/**
 * The one way the platform calls Claude: streaming, prompt caching on the stable prefix, retries chosen by what
 * failed, a timeout per attempt, a circuit breaker, and tokens and dollars counted per call.
 */
export class LlmGateway {
  readonly model: string;
  private readonly client: Anthropic;
  private readonly breaker: CircuitBreaker;
  private readonly maxAttempts: number;
  private readonly firstTokenTimeoutMs: number;
  private readonly timeoutMs: number;
  private readonly maxRetryDelayMs: number;

  constructor(private readonly options: GatewayOptions) {
    this.model = options.model;
    modelSpec(options.model); // a model the platform knows nothing of (its prices, how to call it) fails here, at boot
    // Retries are ours (they depend on what failed and on whether text already reached the visitor), so the SDK's are off.
    this.client = new Anthropic({ apiKey: options.apiKey, baseURL: options.baseURL, maxRetries: 0 });
    this.breaker = options.breaker ?? new CircuitBreaker();
    this.maxAttempts = options.maxAttempts ?? 3;
    this.firstTokenTimeoutMs = options.firstTokenTimeoutMs ?? 15_000;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 10_000;
  }

  /**
   * Streams one reply, calling `onText` with each piece of text as it arrives. Retries only while nothing has been
   * streamed yet: after that, a retry would repeat text the reader already has.
   */
  async stream(request: LlmRequest, handlers: { onText?: (delta: string) => void; signal?: AbortSignal } = {}): Promise<LlmResult> {
    const { metrics } = this.options;
    const model = request.model ?? this.model;
    modelSpec(model); // a model the platform knows nothing of is the caller's bug: refused before any attempt counts against the provider
    const started = performance.now();
    let streamed = false;
    try {
      for (let attempt = 1; ; attempt++) {
        if (handlers.signal?.aborted) throw new LlmError("aborted", "The request was cancelled");
        if (!this.breaker.allow()) {
          metrics.llm.errors.labels("circuit_open").inc();
          throw new LlmError("circuit_open", "The AI model is unavailable (too many recent failures); trying again shortly");
        }
        try {
          const result = await this.attempt(model, request, handlers.signal, (delta) => {
            if (!streamed) metrics.llm.firstToken.labels(model).observe((performance.now() - started) / 1000);
            streamed = true;
            handlers.onText?.(delta);
          });
          this.breaker.succeeded();
          this.account(model, result.usage, result.costUsd);
          return { ...result, attempts: attempt };
        } catch (cause) {
          const error = cause instanceof LlmError ? cause : classify(cause);
          metrics.llm.errors.labels(error.failure).inc();
          const retryable = RETRYABLE.has(error.failure);
          // Only the provider's failures count against it; a cancelled or invalid call says nothing of its health.
          if (retryable) this.breaker.failed();
          else this.breaker.released();
          const delay = error.retryAfterMs ?? backoff(attempt);
          // A failure that opened the circuit ends the call with what went wrong: the next attempt would be refused.
          const gaveUp = !retryable || streamed || attempt >= this.maxAttempts || delay > this.maxRetryDelayMs || this.breaker.state !== "closed";
          if (gaveUp || handlers.signal?.aborted) throw error;
          metrics.llm.retries.labels(error.failure).inc();
          this.options.log.warn({ failure: error.failure, attempt, delayMs: Math.round(delay) }, "LLM call failed; retrying");
          await sleep(delay, handlers.signal);
        }
      }
    } catch (error) {
      // Every call that ends without an answer, however it ends (an attempt's failure, the open circuit, a cancel).
      metrics.llm.calls.labels(model, "error").inc();
      throw error;
    }
  }

  private async attempt(
    model: string,
    request: LlmRequest,
    signal: AbortSignal | undefined,
    onText: (delta: string) => void,
  ): Promise<Omit<LlmResult, "attempts">> {
    const controller = new AbortController();
    const abort = () => controller.abort();
    signal?.addEventListener("abort", abort, { once: true });
    let timedOut: string | null = null;
    const timeout = (ms: number, what: string) =>
      setTimeout(() => {
        timedOut = what;
        controller.abort();
      }, ms);
    let firstEvent: NodeJS.Timeout | undefined = timeout(this.firstTokenTimeoutMs, `no first token within ${this.firstTokenTimeoutMs / 1000} s`);
    const whole = timeout(this.timeoutMs, `the reply took over ${this.timeoutMs / 1000} s`);
    try {
      const stream = this.client.messages.stream(toParams(model, request), { signal: controller.signal });
      // The first delta, not message_start: the API may send message_start well before the first token is ready.
      stream.on("streamEvent", (event) => {
        if (event.type !== "content_block_delta" || !firstEvent) return;
        clearTimeout(firstEvent);
        firstEvent = undefined;
      });
      stream.on("text", onText);
      const message = await stream.finalMessage();
      const usage = usageOf(message.usage);
      return {
        model,
        text: message.content.flatMap((b) => (b.type === "text" ? [b.text] : [])).join(""),
        toolUses: message.content.flatMap((b) => (b.type === "tool_use" ? [{ name: b.name, input: b.input }] : [])),
        stopReason: message.stop_reason,
        usage,
        costUsd: costOf(model, usage),
      };
    } catch (error) {
      if (timedOut) throw new LlmError("timeout", `The AI model timed out: ${timedOut}`);
      if (signal?.aborted) throw new LlmError("aborted", "The request was cancelled");
      throw error;
    } finally {
      clearTimeout(firstEvent);
      clearTimeout(whole);
      signal?.removeEventListener("abort", abort);
    }
  }

  private account(model: string, usage: TokenUsage, costUsd: number) {
    const { llm } = this.options.metrics;
    llm.calls.labels(model, "ok").inc();
    llm.tokens.labels(model, "input").inc(usage.inputTokens);
    llm.tokens.labels(model, "output").inc(usage.outputTokens);
    llm.tokens.labels(model, "cache_write").inc(usage.cacheWriteTokens);
    llm.tokens.labels(model, "cache_read").inc(usage.cacheReadTokens);
    llm.costUsd.labels(model).inc(costUsd);
  }
}

const ephemeral = { type: "ephemeral" } as const;

/**
 * The request as Anthropic takes it, with cache breakpoints on the last tool, each system block and the newest
 * message: each turn writes the whole conversation to the cache and the next reads it back (Anthropic finds the
 * longest cached prefix within 20 blocks of a breakpoint), so that only what is new in a turn is paid in full.
 * The four breakpoints allowed, hence at most two system blocks. The model is asked to answer without thinking
 * first (models.ts): thinking would be billed as output and delay the first token.
 */
function toParams(model: string, request: LlmRequest): Anthropic.MessageStreamParams {
  // Every system block ends a prefix: the first (the platform's rules, after the tools) is the same for every tenant,
  // so it stays cached across all of them; the second adds the tenant's persona.
  const system: TextBlockParam[] = request.system.slice(0, 2).map((text) => ({ type: "text", text, cache_control: ephemeral }));
  const tools = request.tools?.map((tool, i, all) => (i === all.length - 1 ? { ...tool, cache_control: ephemeral } : tool));
  const messages = request.messages.map((message, i, all) => (i === all.length - 1 ? withBreakpoint(message) : message));
  const { answerNow } = modelSpec(model);
  return {
    model,
    ...answerNow,
    // The answer-now switch may itself be an output_config (effort low): the format joins it.
    ...(request.format ? { output_config: { ...answerNow.output_config, format: request.format } } : {}),
    max_tokens: request.maxTokens,
    system,
    messages,
    ...(tools?.length ? { tools } : {}),
    ...(request.toolChoice ? { tool_choice: request.toolChoice } : {}),
  };
}

function withBreakpoint(message: MessageParam): MessageParam {
  if (typeof message.content === "string") return { ...message, content: [{ type: "text", text: message.content, cache_control: ephemeral }] };
  const blocks = [...message.content];
  const last = blocks.at(-1);
  if (last && last.type !== "thinking" && last.type !== "redacted_thinking") blocks[blocks.length - 1] = { ...last, cache_control: ephemeral } as typeof last;
  return { ...message, content: blocks } as MessageParam;
}

/** What failed, from the SDK's error: the status and error type Anthropic documents, never the message's wording. */
function classify(error: unknown): LlmError {
  if (error instanceof APIConnectionError) return new LlmError("connection", `Cannot reach the AI model: ${error.message}`);
  if (error instanceof APIError) {
    const message = `The AI model answered ${error.status ?? "an error"}${error.type ? ` (${error.type})` : ""}`;
    if (error.status === 429 || error.type === "rate_limit_error") return new LlmError("rate_limited", message, retryAfterMs(error.headers));
    if (error.status === 529 || error.type === "overloaded_error") return new LlmError("overloaded", message);
    if (error.type === "billing_error" || error.status === 402) return new LlmError("billing", message);
    if (error.status === 401 || error.status === 403) return new LlmError("auth", message);
    if (error.status === undefined || error.status >= 500 || error.type === "api_error" || error.type === "timeout_error")
      return new LlmError("server", message);
    return new LlmError("invalid_request", message);
  }
  return new LlmError("server", `The AI model call failed: ${error instanceof Error ? error.message : String(error)}`);
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const value = headers?.get("retry-after-ms") ?? null;
  if (value !== null && Number.isFinite(Number(value))) return Number(value);
  const seconds = headers?.get("retry-after") ?? null;
  if (seconds === null) return undefined;
  if (Number.isFinite(Number(seconds))) return Number(seconds) * 1000;
  const date = Date.parse(seconds);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Exponential backoff with full jitter (0.5 s, 1 s, 2 s … caps): spread retries so that clients do not retry in step. */
function backoff(attempt: number): number {
  return Math.random() * Math.min(8_000, 500 * 2 ** (attempt - 1));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    signal?.addEventListener("abort", wake, { once: true });
  });
}
