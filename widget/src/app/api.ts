// The platform's tRPC API spoken by hand: a few plain calls and two SSE subscriptions are a few hundred bytes,
// where @trpc/client would be several KB of a bundle that loads on every page of a tenant's site.
import type { ChatEvent, ConversationStatus, RunEvent, RunView } from "@bizbot/shared";
import { ApiError, errorFromBody, networkError } from "./errors.ts";
import { stringify } from "./json.ts";
import type { ConversationIds, History, WidgetAgent } from "./types.ts";

/** Header and connection parameter carrying the publishable key (platform/src/trpc/procedures.ts). */
export const KEY_HEADER = "x-bizbot-key";
/** Header and connection parameter carrying the visitor fingerprint (fingerprint.ts). */
export const VISITOR_HEADER = "x-bizbot-visitor";
const TIMEOUT_MS = 20_000;

export interface ApiConfig {
  key: string;
  apiBase: string;
  /** Read at each call: `BizBot('shutdown')` makes a new visitor. */
  visitor(): string;
  /** The signed-in user; sent only as a pair, which the platform verifies (platform/src/chat/identity.ts). */
  user(): { userId: string; userHash: string } | undefined;
}

/** What the client reaches the platform with, passed in so that tests can stand in for the browser. */
export interface Transport {
  fetch: typeof fetch;
  /** In the widget, sse.ts's reader over the loader's fetch: never the page's global EventSource. */
  EventSource: new (
    url: string,
  ) => EventSourceLike;
}

export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export interface StreamHandlers<E> {
  /** Each event; returns true for the last one, which closes the stream. */
  onEvent(event: E): boolean | undefined;
  /** Called at most once, and never after the last event. */
  onError(error: ApiError): void;
}

export interface Api {
  start(visitorId?: string): Promise<ConversationIds>;
  history(ids: ConversationIds): Promise<History>;
  handoff(ids: ConversationIds): Promise<{ status: ConversationStatus; alreadyEscalated: boolean }>;
  /** Streams one answer; the returned function stops it (a panel that goes away must not keep a stream open). */
  send(input: ConversationIds & { message: string }, handlers: StreamHandlers<ChatEvent>): () => void;
  agents(): Promise<{ agents: WidgetAgent[] }>;
  runAgent(agentId: string, input: unknown): Promise<RunView>;
  runEvents(runId: string, handlers: StreamHandlers<RunEvent>): () => void;
}

export function createApi(config: ApiConfig, transport: Transport): Api {
  const base = `${config.apiBase}/trpc/`;
  const query = (input: unknown) => `input=${encodeURIComponent(stringify(input))}`;
  const credentials = () => ({ [KEY_HEADER]: config.key, [VISITOR_HEADER]: config.visitor() });
  /** The chat's inputs carry the user, when there is one. */
  const asUser = <T extends object>(input: T) => ({ ...input, ...config.user() });

  async function call<T>(path: string, input?: unknown, post = false): Promise<T> {
    let res: Response;
    try {
      res = await transport.fetch(post ? base + path : `${base}${path}${input === undefined ? "" : `?${query(input)}`}`, {
        method: post ? "POST" : "GET",
        headers: post ? { ...credentials(), "content-type": "application/json" } : credentials(),
        body: post ? stringify(input ?? {}) : undefined,
        credentials: "omit",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw networkError();
    }
    const body = await res.json().catch(() => undefined);
    if (res.ok && body?.result) return body.result.data as T;
    const error = errorFromBody(body, res.status);
    // The header is exposed to the page (Access-Control-Expose-Headers) when the body does not say how long.
    const retry = Number(res.headers.get("retry-after"));
    if (error.reason === "rate_limited" && error.retryAfterSeconds === undefined && retry > 0) throw new ApiError(429, "rate_limited", error.message, retry);
    throw error;
  }

  /** The key and the visitor go as tRPC's connection parameters, where the platform reads them for a stream (an EventSource sends no headers). */
  function subscribe<E>(path: string, input: unknown, handlers: StreamHandlers<E>): () => void {
    const source = new transport.EventSource(`${base}${path}?${query(input)}&connectionParams=${encodeURIComponent(stringify(credentials()))}`);
    return readStream(source, handlers);
  }

  return {
    start: (visitorId) => call("chat.start", asUser(visitorId ? { visitorId } : {}), true),
    history: (ids) => call("chat.history", asUser(ids)),
    handoff: (ids) => call("chat.handoff", asUser(ids), true),
    send: (input, handlers) => subscribe("chat.send", asUser(input), handlers),
    agents: () => call("widget.agents"),
    runAgent: (agentId, input) => call("widget.runAgent", { agentId, input }, true),
    runEvents: (runId, handlers) => subscribe("widget.runEvents", { runId }, handlers),
  };
}

/**
 * Follows one subscription. tRPC sends `connected` first, then each event as an unnamed event whose data is the
 * event's JSON, then `return`; a failure is a `serialized-error` event with tRPC's error shape. The source is
 * closed as soon as the last event is in or anything goes wrong: left open, EventSource reconnects by itself, and
 * a reconnect would ask the question (or start the run's stream) again.
 */
export function readStream<E>(source: EventSourceLike, handlers: StreamHandlers<E>): () => void {
  let open = true;
  const finish = (error?: ApiError) => {
    if (!open) return;
    open = false;
    source.close();
    if (error) handlers.onError(error);
  };
  source.addEventListener("message", (e) => {
    let event: E;
    try {
      event = JSON.parse(e.data) as E;
    } catch {
      return finish(new ApiError(500, "internal", "Unreadable stream event"));
    }
    if (open && handlers.onEvent(event)) finish();
  });
  source.addEventListener("serialized-error", (e) => {
    let body: unknown;
    try {
      body = JSON.parse(e.data);
    } catch {
      // An unreadable error is still an error.
    }
    finish(errorFromBody(body, 500));
  });
  // `return` after the last event is a no-op; before it, the stream ended early.
  source.addEventListener("return", () => finish(new ApiError(0, "interrupted", "The stream ended early")));
  // A plain `error` event carries nothing readable: a dropped connection, or a response that was not an event stream.
  source.addEventListener("error", () => finish(networkError()));
  return () => finish();
}
