import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { MessageCreateParams } from "@anthropic-ai/sdk/resources/messages";
import { MAX_CACHE_BREAKPOINTS, PromptCache, promptBlocks, type InputUsage } from "./anthropic-cache.ts";
import { type ExampleSize, formatExample, formatRefusal, TYPICAL_TEXT } from "./anthropic-format.ts";
import { refusal } from "./anthropic-models.ts";
import {
  anthropicId,
  fail,
  sendReply,
  typeOfStatus,
  Writer,
  type AnthropicReply,
  type Failure,
  type RecordedResponse,
  type StreamErrorReply,
  type TextReply,
  type ToolUseReply,
} from "./anthropic-replies.ts";
import { Controls, readRequest, type RecordedRequest, type StandIn } from "./stand-in.ts";

export { countInputTokens } from "./anthropic-cache.ts";
export type { ExampleSize } from "./anthropic-format.ts";
export type {
  AnthropicReply,
  ErrorReply,
  HangReply,
  Pacing,
  RecordedResponse,
  StreamErrorReply,
  TextReply,
  Thinking,
  Tokens,
  ToolUseReply,
} from "./anthropic-replies.ts";

/** Answers from what was sent: e.g. echo the system prompt, or reuse words of the last user message. */
export type Responder = (body: MessageCreateParams, request: AnthropicRecordedRequest) => AnthropicReply | string;

/** A reply to queue: a bare string is a text reply. */
export type ScriptedReply = AnthropicReply | string | Responder;

export interface AnthropicRecordedRequest extends RecordedRequest {
  /** `performance.now()` when the request arrived, before its body was read. */
  receivedAt: number;
}

export interface AnthropicStandIn extends StandIn {
  requests: AnthropicRecordedRequest[];
  /** One for each request, in the same order. */
  responses: RecordedResponse[];
  /** Queues replies: each `POST /v1/messages` the stand-in accepts takes the next one. */
  script(...replies: ScriptedReply[]): void;
  /** Replies still queued. */
  readonly pending: number;
}

export interface AnthropicStandInOptions {
  /** Answers when nothing is queued; by default {@link DEFAULT_REPLY}, or an answer fitting the request's structured-output schema. */
  responder?: ScriptedReply;
  /** A prefix shorter than this is never cached. Anthropic's minimum depends on the model (1024 to 4096); default 1024. */
  minCacheTokens?: number;
  /** When given, only this key (as `x-api-key` or `Authorization: Bearer`) is accepted; otherwise any non-empty one is. */
  apiKey?: string;
  /** How big unscripted structured answers are (anthropic-format.ts); default minimal. */
  examples?: ExampleSize;
  /** The clock of cache lifetimes, so a test can step past the 5-minute TTL without waiting. Default `Date.now`. */
  now?: () => number;
}

export const DEFAULT_REPLY = "This is a scripted reply from the Anthropic stand-in.";

type Accepted = { reply: TextReply | ToolUseReply | StreamErrorReply; body: MessageCreateParams; usage: InputUsage };

/**
 * A scripted stand-in for Anthropic's Messages API (`POST /v1/messages`, streaming or not), so that the real
 * @anthropic-ai/sdk runs unchanged against it: `new Anthropic({ baseURL: standIn.url, apiKey: "test-key" })`.
 * Replies come from `script(...)`, in order; usage, prompt caching included, is counted as the real API does (see
 * anthropic-cache.ts), and Claude 5 models think first unless the request says not to (anthropic-models.ts). Requests it refuses on its own (no API key, no `anthropic-version`, a malformed body, more
 * than four cache breakpoints, a setting the model refuses) are answered as Anthropic would and leave the script alone; so do `failNext` failures.
 *
 * Its own server rather than `startStandIn`'s: replies here stream, wait, and are timed byte by byte.
 */
export async function startAnthropicStandIn(options: AnthropicStandInOptions = {}): Promise<AnthropicStandIn> {
  const requests: AnthropicRecordedRequest[] = [];
  const responses: RecordedResponse[] = [];
  const queue: ScriptedReply[] = [];
  const cache = new PromptCache(options.minCacheTokens ?? 1024, options.now ?? Date.now);
  const controls = new Controls();

  /** What to answer, or null to hold the request open. */
  const decide = (request: AnthropicRecordedRequest, parseError: string | null): Failure | Accepted | null => {
    if (request.method !== "POST" || request.path !== "/v1/messages") return fail("not_found_error", "Not found");
    // SDK 1.x sends its API key as `Authorization: Bearer`; raw clients and older SDKs send `x-api-key`.
    const key = request.headers["x-api-key"] || /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (!key) return fail("authentication_error", "x-api-key or Authorization header is required");
    if (options.apiKey !== undefined && key !== options.apiKey) return fail("authentication_error", "invalid x-api-key");
    if (!request.headers["anthropic-version"]) return fail("invalid_request_error", "anthropic-version: header is required");
    if (parseError) return fail("invalid_request_error", parseError);
    const failure = controls.takeFailure();
    if (failure) return fail(typeOfStatus(failure), "injected failure", failure);

    const invalid = validate(request.body);
    if (invalid) return fail("invalid_request_error", invalid);
    const body = request.body as MessageCreateParams;
    const refused = refusal(body) ?? formatRefusal(body);
    if (refused) return fail("invalid_request_error", refused);
    const blocks = promptBlocks(body);
    const breakpoints = blocks.filter((b) => b.breakpoint).length;
    if (breakpoints > MAX_CACHE_BREAKPOINTS)
      return fail("invalid_request_error", `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.`);

    let reply: AnthropicReply;
    try {
      // Unscripted, a structured-output request gets a small answer that fits its schema, as the real API guarantees.
      const next =
        queue.shift() ?? options.responder ?? formatExample(body, options.examples) ?? (options.examples === "typical" ? TYPICAL_TEXT : DEFAULT_REPLY);
      const answer = typeof next === "function" ? next(body, request) : next;
      reply = typeof answer === "string" ? { kind: "text", text: answer } : answer;
    } catch (error) {
      // A responder's own bug answers 500 rather than hanging the client until its timeout.
      return fail("api_error", `The stand-in's responder threw: ${(error as Error).message}`);
    }
    if (reply.kind === "hang") return null;
    if (reply.kind === "error") return { ...fail(reply.type, reply.message, reply.status), retryAfterSeconds: reply.retryAfterSeconds };
    return { reply, body, usage: cache.account(blocks) };
  };

  const server = createServer(async (req, res) => {
    const record: RecordedResponse = { requestIndex: -1, requestId: anthropicId("req") };
    const receivedAt = performance.now();
    const aborted = new AbortController();
    res.on("close", () => {
      record.endedAt ??= performance.now();
      aborted.abort();
    });
    try {
      const read = await readRequest(req);
      const request: AnthropicRecordedRequest = { ...read.request, receivedAt };
      const parseError = read.parseError === null ? null : `There was an issue with your request body: ${read.parseError}`;
      record.requestIndex = requests.push(request) - 1;
      responses.push(record);
      if (controls.down) return controls.hold(res);

      const decision = decide(request, parseError);
      if (decision === null) return controls.hold(res);
      const out = new Writer(res, record, aborted.signal);
      if ("status" in decision) return out.error(decision);
      await sendReply(out, decision.reply, decision.body, decision.usage);
    } catch (error) {
      // A client that hangs up mid-request must not take the test run down with an unhandled rejection.
      if (res.headersSent || res.destroyed) res.destroy();
      else
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ type: "error", error: { type: "api_error", message: String(error) } }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    responses,
    script(...replies) {
      queue.push(...replies);
    },
    get pending() {
      return queue.length;
    },
    failNext: (status, times) => controls.failNext(status, times),
    setDown: (down) => controls.setDown(down),
    // Destroying the sockets ends held and half-streamed replies too: their `close` aborts their pending waits.
    close: () => controls.close(server),
  };
}

/** The text of the last user message (its text blocks joined), for responders that answer from what was asked. */
export function lastUserText(body: MessageCreateParams): string {
  const message = body.messages.findLast((m) => m.role === "user");
  return message ? textOf(message.content) : "";
}

/** The system prompt as one string, its blocks joined by new lines. */
export function systemText(body: MessageCreateParams): string {
  return body.system === undefined ? "" : textOf(body.system);
}

const textOf = (content: string | ReadonlyArray<{ type: string; text?: string }>) =>
  typeof content === "string" ? content : content.flatMap((b) => (b.type === "text" && b.text !== undefined ? [b.text] : [])).join("\n");

/** The checks of Anthropic's that a client bug is likely to trip; anything subtler is accepted. */
function validate(body: unknown): string | null {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "request body must be a JSON object";
  const { model, max_tokens: maxTokens, messages } = body as Record<string, unknown>;
  if (typeof model !== "string" || !model) return "model: Field required";
  if (!Number.isInteger(maxTokens) || (maxTokens as number) < 1) return "max_tokens: Field required (a positive integer)";
  if (!Array.isArray(messages)) return "messages: Field required";
  if (messages.length === 0) return "messages: at least one message is required";
  for (const [i, message] of messages.entries()) {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    if (role !== "user" && role !== "assistant") return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    if (typeof content !== "string" && !Array.isArray(content)) return `messages.${i}.content: Input should be a valid string or list`;
  }
  return null;
}
