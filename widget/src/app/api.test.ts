import type { ChatEvent, MessageView, RunEvent } from "@bizbot/shared";
import { describe, expect, it, vi } from "vitest";
import { type ApiConfig, createApi, type EventSourceLike, readStream, type StreamHandlers } from "./api.ts";
import { ApiError } from "./errors.ts";

/** Stands in for the browser's EventSource: the test emits what the platform would send. */
class FakeEventSource implements EventSourceLike {
  static last: FakeEventSource;
  readonly listeners = new Map<string, Array<(e: MessageEvent<string>) => void>>();
  closed = false;
  constructor(readonly url = "") {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, listener: (e: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
  }
  emit(type: string, data = "") {
    for (const listener of this.listeners.get(type) ?? []) listener(new MessageEvent(type, { data }));
  }
}

/** Records a chat stream the way use-chat.ts reads it: the last event is `done`. */
function recorder() {
  const seen: unknown[] = [];
  const handlers: StreamHandlers<ChatEvent> = {
    onEvent: (e) => {
      seen.push(e.type === "token" ? ["token", e.text] : e.type === "done" ? ["done", e.message.content] : ["started", e.messageId]);
      return e.type === "done";
    },
    onError: (e) => seen.push(["error", e.status, e.reason]),
  };
  return { seen, handlers };
}

const message: MessageView = {
  id: "msg_1",
  conversationId: "conv_1",
  role: "assistant",
  content: "Refunds take five days [1].",
  citations: [{ n: 1, chunkId: "chk_1", documentId: "doc_1", title: "Refunds", headingPath: ["Policy"] }],
  actions: [],
  mode: "model",
  notice: null,
  creditsCharged: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
};

describe("readStream", () => {
  it("passes on each event until the last, then closes the source", () => {
    const source = new FakeEventSource();
    const { seen, handlers } = recorder();
    readStream(source, handlers);
    // What tRPC 11 sends: `connected` (named, so not a `message`), then each yielded value as plain JSON.
    source.emit("connected", "{}");
    source.emit("message", JSON.stringify({ type: "started", conversationId: "conv_1", visitorId: "vis_1", messageId: "msg_1" }));
    source.emit("message", JSON.stringify({ type: "token", text: "Refunds" }));
    source.emit("message", JSON.stringify({ type: "token", text: " take <img src=x>" }));
    expect(source.closed).toBe(false);
    source.emit("message", JSON.stringify({ type: "done", conversationId: "conv_1", visitorId: "vis_1", message }));
    expect(source.closed).toBe(true);
    source.emit("return");
    source.emit("error");
    expect(seen).toEqual([
      ["started", "msg_1"],
      ["token", "Refunds"],
      ["token", " take <img src=x>"],
      ["done", message.content],
    ]);
  });

  it("turns a serialized-error event into an ApiError with the platform's status and reason, and closes", () => {
    const source = new FakeEventSource();
    const { seen, handlers } = recorder();
    readStream(source, handlers);
    source.emit(
      "serialized-error",
      JSON.stringify({ code: -32003, message: "Origin x is not allowed", data: { code: "FORBIDDEN", httpStatus: 403, reason: "origin_not_allowed" } }),
    );
    expect(source.closed).toBe(true);
    expect(seen).toEqual([["error", 403, "origin_not_allowed"]]);
  });

  it("closes on a connection error, so the browser does not reconnect and ask the question again", () => {
    const source = new FakeEventSource();
    const { seen, handlers } = recorder();
    readStream(source, handlers);
    source.emit("message", JSON.stringify({ type: "token", text: "Half" }));
    source.emit("error");
    source.emit("error");
    expect(source.closed).toBe(true);
    expect(seen).toEqual([
      ["token", "Half"],
      ["error", 0, "network"],
    ]);
  });

  it("reports a stream that returns early, and unreadable events", () => {
    const ended = new FakeEventSource();
    const a = recorder();
    readStream(ended, a.handlers);
    ended.emit("return");
    expect(a.seen).toEqual([["error", 0, "interrupted"]]);

    const garbled = new FakeEventSource();
    const b = recorder();
    readStream(garbled, b.handlers);
    garbled.emit("message", "not json");
    garbled.emit("message", JSON.stringify({ type: "token", text: "late" }));
    expect(garbled.closed).toBe(true);
    expect(b.seen).toEqual([["error", 500, "internal"]]);
  });

  it("stops quietly when cancelled", () => {
    const source = new FakeEventSource();
    const { seen, handlers } = recorder();
    const stop = readStream(source, handlers);
    stop();
    source.emit("message", JSON.stringify({ type: "token", text: "x" }));
    expect(source.closed).toBe(true);
    expect(seen).toEqual([]);
  });
});

describe("createApi", () => {
  const hash = "ab".repeat(32);
  const config = (user?: { userId: string; userHash: string }): ApiConfig => ({
    key: "pk_test_abc",
    apiBase: "https://api.example",
    visitor: () => "f00.Europe/Paris.fr.l",
    user: () => user,
  });
  const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

  it("posts mutations and gets queries in tRPC's wire format, with the key and visitor headers", async () => {
    const fetch = vi.fn(async () => json({ result: { data: { visitorId: "vis_1", conversationId: "conv_1" } } }));
    const api = createApi(config(), { fetch, EventSource: FakeEventSource });
    expect(await api.start()).toEqual({ visitorId: "vis_1", conversationId: "conv_1" });
    await api.history({ visitorId: "vis_1", conversationId: "conv_1" });
    await api.agents();
    const [startUrl, startInit] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(startUrl).toBe("https://api.example/trpc/chat.start");
    expect(startInit).toMatchObject({
      method: "POST",
      body: "{}",
      credentials: "omit",
      headers: { "x-bizbot-key": "pk_test_abc", "x-bizbot-visitor": "f00.Europe/Paris.fr.l", "content-type": "application/json" },
    });
    const [historyUrl, historyInit] = fetch.mock.calls[1] as unknown as [string, RequestInit];
    const url = new URL(historyUrl);
    expect(url.pathname).toBe("/trpc/chat.history");
    expect(JSON.parse(url.searchParams.get("input")!)).toEqual({ visitorId: "vis_1", conversationId: "conv_1" });
    expect(historyInit).toMatchObject({ method: "GET", headers: { "x-bizbot-key": "pk_test_abc", "x-bizbot-visitor": "f00.Europe/Paris.fr.l" } });
    expect((fetch.mock.calls[2] as unknown as [string])[0]).toBe("https://api.example/trpc/widget.agents");
  });

  it("adds a signed-in user to the chat's calls, and not to the agents'", async () => {
    const fetch = vi.fn(async () => json({ result: { data: {} } }));
    const api = createApi(config({ userId: "u_1", userHash: hash }), { fetch, EventSource: FakeEventSource });
    await api.handoff({ visitorId: "vis_1", conversationId: "conv_1" });
    await api.runAgent("ticket-resolver", { ticket: "Help" });
    const bodies = fetch.mock.calls.map((c) => JSON.parse((c as unknown as [string, RequestInit])[1].body as string));
    expect(bodies).toEqual([
      { visitorId: "vis_1", conversationId: "conv_1", userId: "u_1", userHash: hash },
      { agentId: "ticket-resolver", input: { ticket: "Help" } },
    ]);
  });

  it("sends arrays as arrays even when the page gave Array.prototype a toJSON", async () => {
    const fetch = vi.fn(async () => json({ result: { data: {} } }));
    const api = createApi(config(), { fetch, EventSource: FakeEventSource });
    const proto = Array.prototype as { toJSON?: () => string };
    proto.toJSON = function (this: unknown[]) {
      return JSON.stringify([...this]);
    };
    try {
      await api.runAgent("knowledge-base", { question: "Q", relatedQuestions: ["a", "b"] });
    } finally {
      delete proto.toJSON;
    }
    const init = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(JSON.parse(init.body as string).input.relatedQuestions).toEqual(["a", "b"]);
  });

  it("maps error envelopes, Retry-After and failed requests to ApiErrors", async () => {
    const responses = [
      json({ error: { message: "Slow down", code: -32029, data: { httpStatus: 429, reason: "rate_limited" } } }, 429, { "retry-after": "7" }),
      new Response("<html>Bad gateway</html>", { status: 502 }),
    ];
    const fetch = vi.fn(async () => {
      const next = responses.shift();
      if (!next) throw new TypeError("Failed to fetch");
      return next;
    });
    const api = createApi(config(), { fetch, EventSource: FakeEventSource });
    const ids = { visitorId: "vis_1", conversationId: "conv_1" };
    await expect(api.handoff(ids)).rejects.toMatchObject({ status: 429, reason: "rate_limited", retryAfterSeconds: 7 });
    await expect(api.handoff(ids)).rejects.toMatchObject({ status: 502, reason: "internal" });
    const offline = await api.handoff(ids).catch((e: unknown) => e);
    expect(offline).toBeInstanceOf(ApiError);
    expect(offline).toMatchObject({ status: 0, reason: "network" });
  });

  it("opens chat.send and widget.runEvents with the key and the visitor as connection parameters, since EventSource sends no headers", () => {
    const api = createApi(config(), { fetch: vi.fn(), EventSource: FakeEventSource });
    api.send({ visitorId: "vis_1", conversationId: "conv_1", message: "Hi & bye?" }, recorder().handlers);
    const url = new URL(FakeEventSource.last.url);
    expect(url.origin + url.pathname).toBe("https://api.example/trpc/chat.send");
    expect(JSON.parse(url.searchParams.get("input")!)).toEqual({ visitorId: "vis_1", conversationId: "conv_1", message: "Hi & bye?" });
    const params = { "x-bizbot-key": "pk_test_abc", "x-bizbot-visitor": "f00.Europe/Paris.fr.l" };
    expect(JSON.parse(url.searchParams.get("connectionParams")!)).toEqual(params);

    const events: RunEvent[] = [];
    api.runEvents("run_1", {
      onEvent: (e) => {
        events.push(e);
        return e.type === "succeeded";
      },
      onError: () => {},
    });
    const runs = new URL(FakeEventSource.last.url);
    expect(runs.pathname).toBe("/trpc/widget.runEvents");
    expect(JSON.parse(runs.searchParams.get("input")!)).toEqual({ runId: "run_1" });
    expect(JSON.parse(runs.searchParams.get("connectionParams")!)).toEqual(params);
    FakeEventSource.last.emit("message", JSON.stringify({ type: "step", runId: "run_1", name: "classify" }));
    expect(events).toEqual([{ type: "step", runId: "run_1", name: "classify" }]);
  });
});
