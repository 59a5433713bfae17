// The platform's tRPC API spoken by hand: three plain calls and one SSE subscription are a few hundred bytes,
// where @trpc/client would be several KB of a bundle that loads on every page of a tenant's site.
import { ApiError, errorFromBody, networkError } from "./errors.ts";
import type { ChatEvent, ConversationStatus, MessageView } from "@bizbot/shared";
import type { ConversationIds, History } from "./types.ts";

/** Header and connection parameter carrying the publishable key (platform/src/trpc/procedures.ts). */
export const KEY_HEADER = "x-bizbot-key";
const TIMEOUT_MS = 20_000;

export interface ApiConfig {
  key: string;
  apiBase: string;
}

/** The globals the client uses, passed in so that tests can stand in for the browser. */
export interface Transport {
  fetch: typeof fetch;
  EventSource: new (url: string) => EventSourceLike;
}

export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export interface StreamHandlers {
  onStarted(event: Extract<ChatEvent, { type: "started" }>): void;
  onToken(text: string): void;
  onDone(message: MessageView): void;
  /** Called at most once, and never after onDone. */
  onError(error: ApiError): void;
}

export interface Api {
  start(visitorId?: string): Promise<ConversationIds>;
  history(ids: ConversationIds): Promise<History>;
  handoff(ids: ConversationIds): Promise<{ status: ConversationStatus; alreadyEscalated: boolean }>;
  config(): Promise<{ tenant: { name: string } }>;
  /** Streams one answer; the returned function stops it (a panel that goes away must not keep a stream open). */
  send(input: ConversationIds & { message: string }, handlers: StreamHandlers): () => void;
}

export function createApi(config: ApiConfig, transport: Transport = { fetch: (...a) => fetch(...a), EventSource }): Api {
  const base = `${config.apiBase}/trpc/`;
  const query = (input: unknown) => `input=${encodeURIComponent(JSON.stringify(input))}`;

  async function call<T>(path: string, input?: unknown, post = false): Promise<T> {
    let res: Response;
    try {
      res = await transport.fetch(post ? base + path : `${base}${path}?${query(input)}`, {
        method: post ? "POST" : "GET",
        headers: post ? { [KEY_HEADER]: config.key, "content-type": "application/json" } : { [KEY_HEADER]: config.key },
        body: post ? JSON.stringify(input ?? {}) : undefined,
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

  return {
    start: (visitorId) => call("chat.start", visitorId ? { visitorId } : {}, true),
    history: (ids) => call("chat.history", ids),
    handoff: (ids) => call("chat.handoff", ids, true),
    config: () => call("widget.config"),
    send(input, handlers) {
      const source = new transport.EventSource(
        `${base}chat.send?${query(input)}&connectionParams=${encodeURIComponent(JSON.stringify({ [KEY_HEADER]: config.key }))}`,
      );
      return readStream(source, handlers);
    },
  };
}

/**
 * Follows one chat.send stream. tRPC sends `connected` first, then each ChatEvent as an unnamed event whose data is
 * the event's JSON, then `return`; a failure is a `serialized-error` event with tRPC's error shape. The source is
 * closed as soon as the answer is in or anything goes wrong: left open, EventSource reconnects by itself, and a
 * reconnect asks the question again.
 */
export function readStream(source: EventSourceLike, handlers: StreamHandlers): () => void {
  let open = true;
  const finish = (error?: ApiError) => {
    if (!open) return;
    open = false;
    source.close();
    if (error) handlers.onError(error);
  };
  source.addEventListener("message", (e) => {
    let event: ChatEvent;
    try {
      event = JSON.parse(e.data) as ChatEvent;
    } catch {
      return finish(new ApiError(500, "internal", "Unreadable stream event"));
    }
    if (!open) return;
    if (event.type === "started") handlers.onStarted(event);
    else if (event.type === "token") handlers.onToken(event.text);
    else if (event.type === "done") {
      finish();
      handlers.onDone(event.message);
    }
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
  // `return` after `done` is a no-op; before it, the stream ended without an answer.
  source.addEventListener("return", () => finish(new ApiError(0, "interrupted", "The stream ended before its answer")));
  // A plain `error` event carries nothing readable: a dropped connection, or a response that was not an event stream.
  source.addEventListener("error", () => finish(networkError()));
  return () => finish();
}
