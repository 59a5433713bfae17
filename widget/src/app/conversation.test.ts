import { describe, expect, it } from "vitest";
import { chatReducer, initialState, type ChatAction, type ChatState } from "./conversation.ts";
import type { MessageView } from "@bizbot/shared";

const run = (...actions: ChatAction[]) => actions.reduce<ChatState>(chatReducer, initialState);
const answer = (content: string): MessageView => ({
  id: "msg_answer",
  conversationId: "conv_1",
  role: "assistant",
  content,
  citations: [],
  actions: [],
  mode: "fallback",
  notice: "quoted",
  creditsCharged: 0,
  createdAt: "2026-01-01T00:00:00.000Z",
});

describe("chatReducer", () => {
  it("streams tokens into a pending answer, then replaces it with the stored one", () => {
    const streaming = run({ type: "asked", id: "local-1", text: "Refunds?" }, { type: "token", text: "Ref" }, { type: "token", text: "unds" });
    expect(streaming.busy).toBe("streaming");
    expect(streaming.entries.map((e) => [e.role, e.content, !!e.pending])).toEqual([
      ["visitor", "Refunds?", false],
      ["assistant", "Refunds", true],
    ]);
    // The stored content wins over the streamed text (a fallback after a failure mid-stream).
    const done = chatReducer(streaming, { type: "done", message: answer("Quoted instead") });
    expect(done.busy).toBeNull();
    expect(done.entries[1]).toMatchObject({ id: "msg_answer", content: "Quoted instead", notice: "quoted" });
    expect(done.entries[1]!.pending).toBeUndefined();
  });

  it("drops the question when it never reached the platform, keeps it when it did", () => {
    const lost = run({ type: "asked", id: "local-1", text: "Hi" }, { type: "failed", error: "offline", keepQuestion: false });
    expect(lost).toMatchObject({ entries: [], busy: null, error: "offline" });
    const kept = run({ type: "asked", id: "local-1", text: "Hi" }, { type: "token", text: "Hel" }, { type: "failed", error: "cut", keepQuestion: true });
    expect(kept.entries.map((e) => e.content)).toEqual(["Hi"]);
    expect(chatReducer(kept, { type: "asked", id: "local-2", text: "Again" }).error).toBeNull();
  });

  it("restores a conversation and its status, and records an escalation", () => {
    const restored = run({ type: "loading" }, { type: "restored", history: { conversationId: "conv_1", status: "escalated", messages: [answer("Earlier")] } });
    expect(restored).toMatchObject({ busy: null, status: "escalated", entries: [{ content: "Earlier" }] });
    expect(run({ type: "error", error: "x" }, { type: "escalated" })).toMatchObject({ status: "escalated", error: null });
    expect(run({ type: "loading" }, { type: "error", error: "offline" })).toMatchObject({ busy: null, error: "offline" });
  });
});
