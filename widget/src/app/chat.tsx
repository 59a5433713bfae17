// The chat view. It stays mounted once opened (hidden when closed or on the agents tab) so that a streaming answer
// and what was typed survive closing and reopening it.
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import { Message } from "./message.tsx";
import { Lang } from "./session.ts";
import type { useChat } from "./use-chat.ts";

const MAX_LENGTH = 4000;

interface ChatProps {
  chat: ReturnType<typeof useChat>;
  greeting: string;
  hidden: boolean;
  /** Focus the input: the panel was just opened on this view, or switched to it. */
  focus: number;
  onAgent(agentId: string): void;
}

export function Chat({ chat, greeting, hidden, focus, onAgent }: ChatProps) {
  const s = useContext(Lang);
  const { state, send, handoff, retry } = chat;
  const [text, setText] = useState("");
  /** A question that did not get through went back into the box; "Try again" sends it, and must not leave a copy. */
  const failed = useRef("");
  const input = useRef<HTMLTextAreaElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const busy = state.busy !== null;
  const escalated = state.status === "escalated";

  // Focus goes to the input on opening. While an answer streams the input is read-only, not disabled: a disabled
  // control drops its focus out of the panel, and Escape would no longer reach us.
  useEffect(() => {
    if (!hidden) input.current?.focus();
  }, [hidden, focus]);

  // Newest at the bottom, kept in view as tokens arrive.
  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [state.entries, escalated, hidden, state.error]);

  const submit = async () => {
    const message = text.trim();
    if (!message || busy) return;
    setText("");
    // Sent with the button, which is disabled while the answer streams: focus moves on to the input, not out of the panel.
    input.current?.focus();
    // A question that never reached the platform goes back into the box, so nothing typed is lost.
    if (!(await send(message))) {
      failed.current = message;
      setText((current) => current || message);
    }
  };

  return (
    <div class="view" hidden={hidden}>
      <div ref={log} class="log" role="log" aria-live="polite" aria-busy={state.busy === "streaming"}>
        {state.busy !== "loading" && (
          <div class="msg bot">
            <span class="sr">{s.assistant} </span>
            <p class="text">{greeting}</p>
          </div>
        )}
        {state.busy === "loading" && <p class="hint">{s.loadingConversation}</p>}
        {state.entries.map((entry) => (
          <Message key={entry.id} entry={entry} onHuman={handoff} onAgent={onAgent} />
        ))}
        {escalated && <p class="escalated">{s.escalated}</p>}
      </div>
      {state.error && (
        <div class="error" role="alert">
          <p>{state.error}</p>
          <button
            type="button"
            onClick={() => {
              setText((current) => (current === failed.current ? "" : current));
              failed.current = "";
              retry();
              input.current?.focus();
            }}
          >
            {s.retry}
          </button>
        </div>
      )}
      <form
        class="compose"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <textarea
          ref={input}
          aria-label={s.yourMessage}
          placeholder={s.placeholder}
          rows={2}
          maxLength={MAX_LENGTH}
          value={text}
          readOnly={busy}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter sends and Shift+Enter is a new line; Enter that ends an IME composition only confirms it.
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        <button type="submit" class="send" disabled={busy || !text.trim()}>
          {s.send}
        </button>
      </form>
    </div>
  );
}
