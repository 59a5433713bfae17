import type { ChatEvent, MessageView } from "@bizbot/shared";
import { describe, expect, it, vi } from "vitest";
import { storageKey, type StorageLike } from "../storage.ts";
import type { Api, StreamHandlers } from "./api.ts";
import type { ChatAction } from "./conversation.ts";
import { ApiError } from "./errors.ts";
import { STRINGS } from "./strings.ts";
import type { ConversationIds } from "./types.ts";
import { createChat } from "./use-chat.ts";

const KEY = "pk_test_1";
const IDS: ConversationIds = { visitorId: `vis_${"a".repeat(26)}`, conversationId: `conv_${"b".repeat(26)}` };

const answer: MessageView = {
  id: "msg_1",
  conversationId: IDS.conversationId,
  role: "assistant",
  content: "Five days.",
  citations: [],
  actions: [],
  mode: "model",
  notice: null,
  creditsCharged: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
};

function memoryStorage(initial: Record<string, string> = {}): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** An api whose calls answer when the test says: `start` and `history` late, streams when `streams` are driven. */
function fakeApi() {
  const start = deferred<ConversationIds>();
  const history = deferred<never>();
  const streams: Array<{ handlers: StreamHandlers<ChatEvent>; stop: ReturnType<typeof vi.fn> }> = [];
  const api = {
    start: vi.fn(() => start.promise),
    history: vi.fn(() => history.promise),
    handoff: vi.fn(async () => ({ status: "escalated" as const, alreadyEscalated: false })),
    send: vi.fn((_input: unknown, handlers: StreamHandlers<ChatEvent>) => {
      const stop = vi.fn();
      streams.push({ handlers, stop });
      return stop;
    }),
    agents: vi.fn(),
    runAgent: vi.fn(),
    runEvents: vi.fn(),
  } satisfies Api;
  return { api, start, history, streams };
}

function setup(storage = memoryStorage()) {
  const fake = fakeApi();
  const actions: ChatAction[] = [];
  const onAnswer = vi.fn();
  const chat = createChat(
    () => ({ api: fake.api, storage, key: KEY, strings: STRINGS.en, onAnswer }),
    (a) => actions.push(a),
  );
  return { ...fake, storage, actions, onAnswer, chat };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the chat's controller", () => {
  it("starts a conversation on the first question, remembers it and streams the answer", async () => {
    const { chat, start, streams, storage, actions, onAnswer } = setup();
    const sent = chat.send("Refund time?");
    start.resolve(IDS);
    await settle();
    expect(JSON.parse(storage.data.get(storageKey(KEY))!)).toEqual(IDS);
    expect(streams).toHaveLength(1);
    streams[0]!.handlers.onEvent({ type: "token", text: "Five" });
    streams[0]!.handlers.onEvent({ type: "done", ...IDS, message: answer });
    expect(await sent).toBe(true);
    expect(actions.map((a) => a.type)).toEqual(["asked", "token", "done"]);
    expect(onAnswer).toHaveBeenCalledWith(answer);
  });

  it("after stop (shutdown, or the panel gone), a conversation that starts late is not remembered and streams nothing", async () => {
    const { chat, api, start, streams, storage, actions, onAnswer } = setup();
    const sent = chat.send("Refund time?");
    const handoff = chat.handoff();
    expect(api.start).toHaveBeenCalledTimes(1);
    // BizBot('shutdown'): the loader empties storage, the panel is remounted and this controller stopped.
    storage.data.clear();
    chat.stop();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    start.resolve(IDS);
    await settle();
    warn.mockRestore();
    // Both calls are over (nothing hangs on a stream that was never opened).
    expect(await Promise.race([Promise.all([sent, handoff]).then(() => "over"), settle().then(() => "pending")])).toBe("over");
    expect(storage.data.size).toBe(0);
    expect(api.send).not.toHaveBeenCalled();
    expect(streams).toHaveLength(0);
    expect(api.handoff).not.toHaveBeenCalled();
    expect(actions.map((a) => a.type)).toEqual(["asked"]);
    expect(onAnswer).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it("closes the stream that is open when it stops, and shows nothing of it afterwards", async () => {
    const { chat, start, streams, actions, onAnswer } = setup();
    void chat.send("Refund time?");
    start.resolve(IDS);
    await settle();
    chat.stop();
    expect(streams[0]!.stop).toHaveBeenCalledTimes(1);
    streams[0]!.handlers.onEvent({ type: "token", text: "late" });
    streams[0]!.handlers.onEvent({ type: "done", ...IDS, message: answer });
    await settle();
    expect(actions.map((a) => a.type)).toEqual(["asked"]);
    expect(onAnswer).not.toHaveBeenCalled();
  });

  it("after stop, a history that answers late changes neither storage nor the log", async () => {
    const storage = memoryStorage({ [storageKey(KEY)]: JSON.stringify(IDS) });
    const { chat, history, actions } = setup(storage);
    chat.restore();
    expect(actions.map((a) => a.type)).toEqual(["loading"]);
    storage.data.clear();
    chat.stop();
    // Not found: before stop, this would write the visitor back (`remember({ visitorId })`).
    history.reject(new ApiError(404, "not_found", "No such conversation"));
    await settle();
    expect(storage.data.size).toBe(0);
    expect(actions.map((a) => a.type)).toEqual(["loading"]);
  });
});
