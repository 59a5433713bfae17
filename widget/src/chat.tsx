// The chat panel. It stays mounted once opened (hidden when closed) so that a streaming answer and what was
// typed survive closing and reopening it.
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiConfig } from "./api.ts";
import { Message } from "./message.tsx";
import { useChat } from "./use-chat.ts";

export const PANEL_ID = "bizbot-panel";
const MAX_LENGTH = 4000;

export function Chat({ config, hidden, onClose }: { config: ApiConfig; hidden: boolean; onClose: () => void }) {
  const { state, title, send, handoff } = useChat(config);
  const [text, setText] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);
  const log = useRef<HTMLDivElement>(null);
  const busy = state.busy !== null;
  const escalated = state.status === "escalated";

  // Focus goes to the input on opening. While an answer streams the input is read-only, not disabled: a disabled
  // control drops its focus out of the panel, and Escape would no longer reach us.
  useEffect(() => {
    if (!hidden) input.current?.focus();
  }, [hidden]);

  // Newest at the bottom, kept in view as tokens arrive.
  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [state.entries, escalated, hidden]);

  const submit = async () => {
    const message = text.trim();
    if (!message || busy) return;
    setText("");
    // Sent with the button, which is disabled while the answer streams: focus moves on to the input, not out of the panel.
    input.current?.focus();
    // A question that never reached the platform goes back into the box, so nothing typed is lost.
    if (!(await send(message))) setText((current) => current || message);
  };

  return (
    <div
      class="panel"
      id={PANEL_ID}
      role="dialog"
      aria-label={`Chat with ${title}`}
      tabIndex={-1}
      hidden={hidden}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div class="head">
        <div class="title">
          <h2>{title}</h2>
          {escalated && <p class="status">Waiting for a person</p>}
        </div>
        <button type="button" class="person" onClick={handoff}>
          Talk to a person
        </button>
        <button type="button" class="close" aria-label="Close chat" onClick={onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <div ref={log} class="log" role="log" aria-live="polite" aria-busy={state.busy === "streaming"}>
        {state.entries.length === 0 && !busy && <p class="hint">Ask a question, or ask for a person at any time.</p>}
        {state.busy === "loading" && <p class="hint">Loading your conversation…</p>}
        {state.entries.map((entry) => (
          <Message key={entry.id} entry={entry} onHuman={handoff} />
        ))}
        {escalated && <p class="escalated">A person will get back to you.</p>}
      </div>
      {state.error && (
        <p class="error" role="alert">
          {state.error}
        </p>
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
          aria-label="Your message"
          placeholder="Type your question…"
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
          Send
        </button>
      </form>
    </div>
  );
}
