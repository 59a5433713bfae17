import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";
import type { ContentBlock, Message, MessageCreateParams, RawMessageStreamEvent, StopReason, Usage } from "@anthropic-ai/sdk/resources/messages";
import type { ErrorResponse, ErrorType } from "@anthropic-ai/sdk/resources/shared";
import type { InputUsage } from "./anthropic-cache.ts";
import { thinksFirst } from "./anthropic-models.ts";

/** The replies the Anthropic stand-in can be scripted with, and how each goes on the wire, streamed or whole. */

/**
 * When a reply's bytes go out. The real API sends nothing, headers included, until its first token is ready, so
 * `firstTokenDelayMs` comes before the first byte: a client's timeout on the response and its timeout on the
 * first event both see it.
 */
export interface Pacing {
  firstTokenDelayMs?: number;
  /** Between one delta and the next. */
  tokenDelayMs?: number;
}

/** Output tokens a reply spends thinking, when the model thinks before answering (anthropic-models.ts). */
export interface Thinking {
  /** Default 200. */
  thinkingTokens?: number;
}

/** Text as token strings, one `text_delta` and one output token each, or a string cut into words (each keeping the space before it). */
export type Tokens = string | string[];

export interface TextReply extends Pacing, Thinking {
  kind: "text";
  text: Tokens;
  /** Default `end_turn`; `max_tokens` also when the text is longer than the request's `max_tokens`. */
  stopReason?: Exclude<StopReason, "tool_use">;
}

/** Optional text, then one `tool_use` block whose input is streamed as `input_json_delta` pieces; stop reason `tool_use`. */
export interface ToolUseReply extends Pacing, Thinking {
  kind: "tool_use";
  text?: Tokens;
  name: string;
  input: Record<string, unknown>;
  /** Default a fresh `toolu_…` id. */
  id?: string;
}

/** An HTTP error before any byte of a reply: `{type: "error", error: {type, message}, request_id}`. */
export interface ErrorReply {
  kind: "error";
  type: ErrorType;
  /** Default the status Anthropic documents for `type` (429 rate_limit_error, 529 overloaded_error, 500 api_error…). */
  status?: number;
  message?: string;
  /** Sent as the `retry-after` header. */
  retryAfterSeconds?: number;
}

/**
 * Some text, then an SSE `error` event (default `overloaded_error`) and the end of the stream, as when the API is
 * overloaded mid-reply. A non-streaming request gets the error as an HTTP status instead, after the same wait.
 */
export interface StreamErrorReply extends Pacing {
  kind: "stream_error";
  text: Tokens;
  type?: ErrorType;
  message?: string;
}

/** The request is accepted and never answered, for timeout tests; `close()` ends it. */
export interface HangReply {
  kind: "hang";
}

export type AnthropicReply = TextReply | ToolUseReply | ErrorReply | StreamErrorReply | HangReply;

/** What was sent back for `requests[requestIndex]`; times are `performance.now()`, unset until they happen. */
export interface RecordedResponse {
  requestIndex: number;
  /** The `request-id` header, also `request_id` in error bodies. */
  requestId: string;
  status?: number;
  /** When the first body byte was written: `message_start` when streaming, the whole JSON otherwise. */
  firstByteAt?: number;
  /** When the first text or tool-input delta was written. */
  firstTokenAt?: number;
  endedAt?: number;
  /** The usage reported, final counts when the reply completed: what a client should have billed. */
  usage?: Usage;
}

const statusOfType: Record<ErrorType, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  memory_precondition_failed_error: 412,
  memory_path_conflict_error: 409,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};
const defaultMessage: Partial<Record<ErrorType, string>> = {
  rate_limit_error: "Number of requests has exceeded your rate limit. Please try again later.",
  overloaded_error: "Overloaded",
  api_error: "Internal server error",
  timeout_error: "Request timeout",
};

export interface Failure {
  status: number;
  type: ErrorType;
  message: string;
  retryAfterSeconds?: number | undefined;
}

export const fail = (type: ErrorType, message = defaultMessage[type] ?? type, status = statusOfType[type]): Failure => ({ status, type, message });

/** The error type Anthropic answers a status with, for `failNext(status)`. */
export const typeOfStatus = (status: number): ErrorType =>
  (Object.entries(statusOfType).find(([, s]) => s === status)?.[0] as ErrorType | undefined) ?? (status >= 500 ? "api_error" : "invalid_request_error");

/**
 * Sends one accepted reply, streamed when the request asked for `stream: true`. A model that thinks first sends a
 * thinking block before it, with its display `omitted` (the Claude 5 default): no thinking text, a signature, and
 * the thinking tokens billed as output.
 */
export async function sendReply(out: Writer, reply: TextReply | ToolUseReply | StreamErrorReply, body: MessageCreateParams, input: InputUsage) {
  const plan = planOf(reply, body.max_tokens, thinksFirst(body));
  const message = {
    id: anthropicId("msg"),
    type: "message" as const,
    role: "assistant" as const,
    model: body.model,
    container: null,
    diagnostics: null,
    stop_details: null,
    stop_sequence: null,
    usage: {
      ...input,
      output_tokens: plan.outputTokens,
      server_tool_use: null,
      service_tier: "standard",
      inference_geo: "not_available",
      output_tokens_details: null,
      speed: null,
    } satisfies Usage,
  };
  await (body.stream === true ? streamReply(out, plan, message) : jsonReply(out, plan, message));
}

/** What a reply sends, decided once for both wire forms. */
interface Plan {
  /** The signature of the thinking block that comes first, when the model thinks. */
  thinking?: string;
  text: string[];
  tool?: { id: string; name: string; input: Record<string, unknown>; pieces: string[] };
  stopReason: StopReason;
  error?: { type: ErrorType; message: string };
  outputTokens: number;
  pacing: Pacing;
}

function planOf(reply: TextReply | ToolUseReply | StreamErrorReply, maxTokens: number, thinks: boolean): Plan {
  let text = tokens(reply.text ?? []);
  let stopReason: StopReason = reply.kind === "text" ? (reply.stopReason ?? "end_turn") : "tool_use";
  let tool: Plan["tool"];
  if (reply.kind === "tool_use") {
    const json = JSON.stringify(reply.input);
    // An empty first piece, as the real stream sends, then at least three pieces of at most 16 characters.
    const size = Math.min(16, Math.ceil(json.length / 3));
    tool = {
      id: reply.id ?? anthropicId("toolu"),
      name: reply.name,
      input: reply.input,
      pieces: ["", ...Array.from({ length: Math.ceil(json.length / size) }, (_, i) => json.slice(i * size, (i + 1) * size))],
    };
  }
  // Thinking counts toward max_tokens, as the answer does.
  const thinkingTokens = thinks && reply.kind !== "stream_error" ? Math.min(maxTokens, reply.thinkingTokens ?? 200) : 0;
  if (reply.kind !== "stream_error" && text.length > maxTokens - thinkingTokens) {
    text = text.slice(0, maxTokens - thinkingTokens);
    stopReason = "max_tokens";
    tool = undefined;
  }
  const error = reply.kind === "stream_error" ? fail(reply.type ?? "overloaded_error", reply.message) : undefined;
  // Output tokens are never zero, even for an empty reply, as with the real API.
  const outputTokens = Math.max(1, thinkingTokens + text.length + (tool ? Math.ceil(JSON.stringify(tool.input).length / 4) : 0));
  return {
    text,
    stopReason,
    outputTokens,
    pacing: reply,
    ...(thinkingTokens ? { thinking: randomBytes(48).toString("base64") } : {}),
    ...(tool ? { tool } : {}),
    ...(error ? { error: { type: error.type, message: error.message } } : {}),
  };
}

const tokens = (value: Tokens): string[] => (typeof value === "string" ? (value.match(/\s*\S+(?:\s+$)?/g) ?? []) : value.filter((t) => t !== ""));

type Shell = Omit<Message, "content" | "stop_reason">;

async function jsonReply(out: Writer, plan: Plan, message: Shell) {
  const { firstTokenDelayMs = 0, tokenDelayMs = 0 } = plan.pacing;
  const deltas = plan.text.length + (plan.tool?.pieces.length ?? 0);
  if (!(await out.wait(firstTokenDelayMs + tokenDelayMs * Math.max(0, deltas - 1)))) return;
  if (plan.error) return out.error(fail(plan.error.type, plan.error.message));
  const content: ContentBlock[] = [];
  if (plan.thinking) content.push({ type: "thinking", thinking: "", signature: plan.thinking });
  if (plan.text.length || !plan.tool) content.push({ type: "text", text: plan.text.join(""), citations: null });
  if (plan.tool) content.push({ type: "tool_use", id: plan.tool.id, name: plan.tool.name, input: plan.tool.input, caller: { type: "direct" } });
  out.message({ ...message, content, stop_reason: plan.stopReason });
}

/** The documented event order: message_start, then per block content_block_start / deltas / stop (a ping after the first start), message_delta, message_stop. */
async function streamReply(out: Writer, plan: Plan, message: Shell) {
  const { firstTokenDelayMs = 0, tokenDelayMs = 0 } = plan.pacing;
  if (!(await out.wait(firstTokenDelayMs))) return;
  out.startEvents();
  // message_start carries the input usage; output_tokens is a placeholder until message_delta.
  out.event({ type: "message_start", message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } } });
  let index = 0;
  let pinged = false;
  let first = true;
  const startBlock = (contentBlock: Extract<RawMessageStreamEvent, { type: "content_block_start" }>["content_block"]) => {
    out.event({ type: "content_block_start", index, content_block: contentBlock });
    if (!pinged) out.event({ type: "ping" });
    pinged = true;
  };
  const delta = async (delta: Extract<RawMessageStreamEvent, { type: "content_block_delta" }>["delta"]) => {
    if (!first && !(await out.wait(tokenDelayMs))) return false;
    first = false;
    out.event({ type: "content_block_delta", index, delta }, true);
    return true;
  };

  if (plan.thinking) {
    startBlock({ type: "thinking", thinking: "", signature: "" });
    out.event({ type: "content_block_delta", index, delta: { type: "signature_delta", signature: plan.thinking } });
    out.event({ type: "content_block_stop", index: index++ });
  }
  if (plan.text.length || !plan.tool) {
    startBlock({ type: "text", text: "", citations: null });
    for (const text of plan.text) if (!(await delta({ type: "text_delta", text }))) return;
    if (plan.error) {
      out.event({ type: "error", error: plan.error });
      return out.end();
    }
    out.event({ type: "content_block_stop", index: index++ });
  }
  if (plan.tool) {
    startBlock({ type: "tool_use", id: plan.tool.id, name: plan.tool.name, input: {}, caller: { type: "direct" } });
    for (const piece of plan.tool.pieces) if (!(await delta({ type: "input_json_delta", partial_json: piece }))) return;
    out.event({ type: "content_block_stop", index: index++ });
  }
  const { usage } = message;
  out.event({
    type: "message_delta",
    delta: { stop_reason: plan.stopReason, stop_sequence: null, stop_details: null, container: null },
    usage: {
      input_tokens: usage.input_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      output_tokens: usage.output_tokens,
      output_tokens_details: null,
      server_tool_use: null,
    },
  });
  out.event({ type: "message_stop" });
  out.end();
}

type StreamEvent = RawMessageStreamEvent | { type: "ping" } | { type: "error"; error: { type: ErrorType; message: string } };

/** Writes one reply, recording when its bytes go out; every write is a no-op once the client has gone. */
export class Writer {
  constructor(
    private readonly res: ServerResponse,
    private readonly record: RecordedResponse,
    private readonly signal: AbortSignal,
  ) {}

  /** False when the client went away (or the stand-in closed) during the wait. */
  wait(ms: number): Promise<boolean> {
    if (ms <= 0 || this.signal.aborted) return Promise.resolve(!this.signal.aborted);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        // Removed when the timer fires too: a long reply waits once per token, and listeners would pile up.
        this.signal.removeEventListener("abort", done);
        resolve(!this.signal.aborted);
      };
      const timer = setTimeout(done, ms);
      this.signal.addEventListener("abort", done, { once: true });
    });
  }

  error({ status, type, message, retryAfterSeconds }: Failure) {
    const body: ErrorResponse = { type: "error", error: { type, message } as ErrorResponse["error"], request_id: this.record.requestId };
    this.head(status, { "content-type": "application/json", ...(retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) }) });
    this.write(JSON.stringify(body), false);
    this.end();
  }

  message(message: Message) {
    this.record.usage = message.usage;
    this.head(200, { "content-type": "application/json" });
    this.write(JSON.stringify(message), true);
    this.end();
  }

  startEvents() {
    this.head(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  }

  event(event: StreamEvent, isToken = false) {
    if (event.type === "message_start") this.record.usage = event.message.usage;
    if (event.type === "message_delta") this.record.usage = { ...this.record.usage!, output_tokens: event.usage.output_tokens };
    this.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`, isToken);
  }

  end() {
    if (!this.signal.aborted) this.res.end();
  }

  private head(status: number, headers: Record<string, string>) {
    if (this.signal.aborted) return;
    this.record.status = status;
    this.res.writeHead(status, { "request-id": this.record.requestId, ...headers });
  }

  private write(chunk: string, isToken: boolean) {
    if (this.signal.aborted || this.res.destroyed) return;
    const now = performance.now();
    this.record.firstByteAt ??= now;
    if (isToken) this.record.firstTokenAt ??= now;
    this.res.write(chunk);
  }
}

const base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Ids shaped like Anthropic's: `msg_01…`, `toolu_01…`, `req_01…`, then 22 base58 characters. */
export function anthropicId(prefix: "msg" | "toolu" | "req"): string {
  return `${prefix}_01${[...randomBytes(22)].map((b) => base58[b % 58]).join("")}`;
}
