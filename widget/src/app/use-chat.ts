// Connects the chat to the platform: which conversation is ours, asking, streaming, restoring, handing off.
import type { MessageView } from "@bizbot/shared";
import { useLayoutEffect, useMemo, useReducer, useRef } from "preact/hooks";
import type { Api } from "./api.ts";
import { type ChatAction, chatReducer, initialState } from "./conversation.ts";
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

/** What the panel does with the chat; `stop` is for the panel going away. */
export interface ChatController {
  restore(): void;
  /** Asks one question and streams its answer. False when the question never reached the platform. */
  send(message: string): Promise<boolean>;
  handoff(): Promise<void>;
  /** What the error's "Try again" button does. */
  retry(): void;
  /**
   * The panel is gone: unmounted, or remounted afresh by `BizBot('shutdown')`, which has just emptied storage. The
   * open stream is closed, and a call still on its way changes nothing when it answers: it writes no conversation
   * back to storage, opens no stream and dispatches nothing.
   */
  stop(): void;
}

/**
 * The chat's logic, apart from Preact so that it can be tested without a DOM. `deps` is read at each use (the
 * strings and the callbacks change with the panel's renders).
 */
export function createChat(deps: () => ChatDeps, dispatch: (action: ChatAction) => void): ChatController {
  const { api, storage, key } = deps();
  let saved: Saved = load(storage, key);
  let alive = true;
  let stopStream: (() => void) | undefined;
  /** The conversation being started: a handoff clicked while the first question starts one joins it. */
  let starting: Promise<ConversationIds> | null = null;
  let retryWith: (() => void) | undefined;

  /** Thrown where a call answers after stop(): nothing further is done, nothing is shown. */
  const gone = new Error("the panel is gone");
  const put = (action: ChatAction) => {
    if (alive) dispatch(action);
  };
  const remember = (next: Saved) => {
    if (!alive) return;
    saved = next;
    save(storage, key, next);
  };

  const fail = (e: unknown, again?: () => void) => {
    const error = asApiError(e);
    console.warn(`BizBot: ${error.message}`);
    retryWith = again;
    return visitorText(error, deps().strings);
  };

  /**
   * Runs `call` on our conversation, starting one first if there is none (a visitor who only looks at the panel
   * costs the tenant nothing). A conversation the platform no longer has (the tenant deleted it, or retention did)
   * is forgotten and replaced once, when `retryable` says the call had no effect yet.
   */
  async function withConversation<T>(call: (ids: ConversationIds) => Promise<T>, retryable = () => true): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let { visitorId, conversationId } = saved;
      if (!visitorId || !conversationId) {
        starting ??= api
          .start(visitorId)
          .then((ids) => {
            remember(ids);
            return ids;
          })
          .finally(() => (starting = null));
        ({ visitorId, conversationId } = await starting);
      }
      if (!alive) throw gone;
      try {
        return await call({ visitorId, conversationId });
      } catch (e) {
        if (!alive || attempt > 0 || asApiError(e).reason !== "not_found" || !retryable()) throw e;
        remember({ visitorId });
      }
    }
  }

  function restore(): void {
    const { visitorId, conversationId } = saved;
    if (!visitorId || !conversationId) return;
    put({ type: "loading" });
    api.history({ visitorId, conversationId }).then(
      (history) => put({ type: "restored", history }),
      (e) => {
        if (!alive) return;
        const lost = asApiError(e).reason === "not_found";
        if (lost) remember({ visitorId });
        put({ type: "error", error: lost ? null : fail(e, restore) });
      },
    );
  }

  async function send(message: string): Promise<boolean> {
    put({ type: "asked", id: `local-${localIds++}`, text: message });
    let started = false;
    try {
      const answer = await withConversation(
        (ids) =>
          new Promise<MessageView>((resolve, reject) => {
            stopStream = api.send(
              { ...ids, message },
              {
                onEvent: (event) => {
                  if (event.type === "started") started = true;
                  else if (event.type === "token") put({ type: "token", text: event.text });
                  else if (event.type === "done") resolve(event.message);
                  return event.type === "done";
                },
                onError: reject,
              },
            );
          }),
        () => !started,
      );
      if (!alive) return true;
      put({ type: "done", message: answer });
      deps().onAnswer(answer);
      return true;
    } catch (e) {
      if (!alive) return started;
      put({ type: "failed", error: fail(e, () => void send(message)), keepQuestion: started });
      return started;
    }
  }

  async function handoff(): Promise<void> {
    try {
      await withConversation((ids) => api.handoff(ids));
      put({ type: "escalated" });
    } catch (e) {
      if (alive) put({ type: "error", error: fail(e, () => void handoff()) });
    }
  }

  return {
    restore,
    send,
    handoff,
    retry: () => retryWith?.(),
    stop() {
      alive = false;
      stopStream?.();
    },
  };
}

export function useChat(deps: ChatDeps) {
  const [state, dispatch] = useReducer(chatReducer, initialState);
  const latest = useRef(deps);
  latest.current = deps;
  const chat = useMemo(() => createChat(() => latest.current, dispatch), [deps.api]);
  // A layout effect: Preact 11 runs a passive effect's cleanup after the next paint, and a call answering in between
  // (after `BizBot('shutdown')`) would still write its conversation back or open its stream.
  useLayoutEffect(() => {
    chat.restore();
    return chat.stop;
  }, [chat]);
  return { state, send: chat.send, handoff: chat.handoff, retry: chat.retry };
}
