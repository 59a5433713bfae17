// Connects the chat to the platform: which conversation is ours, asking, streaming, restoring, handing off.
import type { MessageView } from "@bizbot/shared";
import { useEffect, useReducer, useRef } from "preact/hooks";
import type { Api } from "./api.ts";
import { chatReducer, initialState } from "./conversation.ts";
import { asApiError, visitorText } from "./errors.ts";
import type { Strings } from "./strings.ts";
import { load, type Saved, type StorageLike, save } from "../storage.ts";
import type { ConversationIds } from "./types.ts";

/** Keys for the visitor's own messages until the platform's ids replace them on the next restore. */
let localIds = 0;

export interface ChatDeps {
  api: Api;
  storage: StorageLike | undefined;
  key: string;
  strings: Strings;
  /** An answer is in: the page's `message` listeners and the unread badge hear of it. */
  onAnswer(message: MessageView): void;
}

export function useChat({ api, storage, key, strings, onAnswer }: ChatDeps) {
  const saved = useRef<Saved | null>(null);
  saved.current ??= load(storage, key);
  const [state, dispatch] = useReducer(chatReducer, initialState);
  const stopStream = useRef<(() => void) | undefined>(undefined);
  /** The conversation being started: a handoff clicked while the first question starts one joins it. */
  const starting = useRef<Promise<ConversationIds> | null>(null);
  /** What the error's "Try again" button does. */
  const retry = useRef<(() => void) | undefined>(undefined);

  const remember = (next: Saved) => {
    saved.current = next;
    save(storage, key, next);
  };

  const fail = (e: unknown, again?: () => void) => {
    const error = asApiError(e);
    console.warn(`BizBot: ${error.message}`);
    retry.current = again;
    return visitorText(error, strings);
  };

  /**
   * Runs `call` on our conversation, starting one first if there is none (a visitor who only looks at the panel
   * costs the tenant nothing). A conversation the platform no longer has (the tenant deleted it, or retention did)
   * is forgotten and replaced once, when `retryable` says the call had no effect yet.
   */
  async function withConversation<T>(call: (ids: ConversationIds) => Promise<T>, retryable = () => true): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let { visitorId, conversationId } = saved.current!;
      if (!visitorId || !conversationId) {
        starting.current ??= api
          .start(visitorId)
          .then((ids) => {
            remember(ids);
            return ids;
          })
          .finally(() => (starting.current = null));
        ({ visitorId, conversationId } = await starting.current);
      }
      try {
        return await call({ visitorId, conversationId });
      } catch (e) {
        if (attempt > 0 || asApiError(e).reason !== "not_found" || !retryable()) throw e;
        remember({ visitorId });
      }
    }
  }

  /** The conversation of an earlier page load, if any. */
  function restore(): void {
    const { visitorId, conversationId } = saved.current!;
    if (!visitorId || !conversationId) return;
    dispatch({ type: "loading" });
    api.history({ visitorId, conversationId }).then(
      (history) => dispatch({ type: "restored", history }),
      (e) => {
        const gone = asApiError(e).reason === "not_found";
        if (gone) remember({ visitorId });
        dispatch({ type: "error", error: gone ? null : fail(e, restore) });
      },
    );
  }

  useEffect(() => {
    restore();
    return () => stopStream.current?.();
  }, [api]);

  /** Asks one question and streams its answer. False when the question never reached the platform. */
  async function send(message: string): Promise<boolean> {
    dispatch({ type: "asked", id: `local-${localIds++}`, text: message });
    let started = false;
    try {
      const answer = await withConversation(
        (ids) =>
          new Promise<MessageView>((resolve, reject) => {
            stopStream.current = api.send(
              { ...ids, message },
              {
                onEvent: (event) => {
                  if (event.type === "started") started = true;
                  else if (event.type === "token") dispatch({ type: "token", text: event.text });
                  else if (event.type === "done") resolve(event.message);
                  return event.type === "done";
                },
                onError: reject,
              },
            );
          }),
        () => !started,
      );
      dispatch({ type: "done", message: answer });
      onAnswer(answer);
      return true;
    } catch (e) {
      dispatch({ type: "failed", error: fail(e, () => void send(message)), keepQuestion: started });
      return started;
    }
  }

  async function handoff(): Promise<void> {
    try {
      await withConversation((ids) => api.handoff(ids));
      dispatch({ type: "escalated" });
    } catch (e) {
      dispatch({ type: "error", error: fail(e, () => void handoff()) });
    }
  }

  return { state, send, handoff, retry: () => retry.current?.() };
}
