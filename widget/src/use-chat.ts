// Connects the panel to the platform: which conversation is ours, asking, streaming, restoring, handing off.
import { useEffect, useMemo, useReducer, useRef, useState } from "preact/hooks";
import { createApi, type ApiConfig } from "./api.ts";
import { chatReducer, initialState } from "./conversation.ts";
import { ApiError, visitorText } from "./errors.ts";
import { browserStorage, load, save, type Saved } from "./storage.ts";
import type { ConversationIds } from "./types.ts";

/** Keys for the visitor's own messages until the platform's ids replace them on the next restore. */
let localIds = 0;

const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(500, "internal", String(e)));

export function useChat(config: ApiConfig) {
  const api = useMemo(() => createApi(config), [config.key, config.apiBase]);
  const storage = useMemo(browserStorage, []);
  const saved = useRef<Saved | null>(null);
  saved.current ??= load(storage, config.key);
  const [state, dispatch] = useReducer(chatReducer, initialState);
  const [title, setTitle] = useState("Chat");
  const stopStream = useRef<(() => void) | undefined>(undefined);
  /** The conversation being started: a handoff clicked while the first question starts one joins it. */
  const starting = useRef<Promise<ConversationIds> | null>(null);

  const remember = (next: Saved) => {
    saved.current = next;
    save(storage, config.key, next);
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

  // On the panel's first opening: the tenant's name for the title, and the conversation of an earlier page.
  useEffect(() => {
    api.config().then(
      (c) => setTitle(c.tenant.name),
      (e) => dispatch({ type: "error", error: visitorText(asApiError(e)) }),
    );
    const { visitorId, conversationId } = saved.current!;
    if (visitorId && conversationId) {
      dispatch({ type: "loading" });
      api.history({ visitorId, conversationId }).then(
        (history) => dispatch({ type: "restored", history }),
        (e) => {
          const error = asApiError(e);
          if (error.reason === "not_found") remember({ visitorId });
          dispatch({ type: "error", error: error.reason === "not_found" ? null : visitorText(error) });
        },
      );
    }
    return () => stopStream.current?.();
  }, [api]);

  /** Asks one question and streams its answer. False when the question never reached the platform. */
  async function send(message: string): Promise<boolean> {
    dispatch({ type: "asked", id: `local-${localIds++}`, text: message });
    let started = false;
    try {
      await withConversation(
        (ids) =>
          new Promise<void>((resolve, reject) => {
            stopStream.current = api.send(
              { ...ids, message },
              {
                onStarted: () => (started = true),
                onToken: (text) => dispatch({ type: "token", text }),
                onDone: (answer) => {
                  dispatch({ type: "done", message: answer });
                  resolve();
                },
                onError: reject,
              },
            );
          }),
        () => !started,
      );
      return true;
    } catch (e) {
      const error = asApiError(e);
      console.warn(`BizBot: ${error.message}`);
      dispatch({ type: "failed", error: visitorText(error), keepQuestion: started });
      return started;
    }
  }

  async function handoff(): Promise<void> {
    try {
      await withConversation((ids) => api.handoff(ids));
      dispatch({ type: "escalated" });
    } catch (e) {
      const error = asApiError(e);
      console.warn(`BizBot: ${error.message}`);
      dispatch({ type: "error", error: visitorText(error) });
    }
  }

  return { state, title, send, handoff };
}
