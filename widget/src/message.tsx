// One message of the log. Everything from the server is rendered as text children, which Preact turns into text
// nodes: a model talked into writing markup shows the markup, it never becomes elements.
import { actionHref, sourceLabel } from "./actions.ts";
import type { Entry } from "./conversation.ts";
import type { SuggestedAction } from "@bizbot/shared";

export function Message({ entry, onHuman }: { entry: Entry; onHuman: () => void }) {
  const mine = entry.role === "visitor";
  if (entry.pending && !entry.content) {
    return (
      <div class="msg bot typing">
        <span class="sr">The assistant is typing</span>
        <i aria-hidden="true" />
        <i aria-hidden="true" />
        <i aria-hidden="true" />
      </div>
    );
  }
  return (
    <div class={mine ? "msg me" : "msg bot"}>
      <span class="sr">{mine ? "You: " : "Assistant: "}</span>
      <p class="text">{entry.content}</p>
      {entry.notice && <p class="notice">{entry.notice}</p>}
      {entry.citations.length > 0 && (
        <div class="sources">
          <p>Sources</p>
          <ul>
            {entry.citations.map((c) => (
              <li key={c.n}>{sourceLabel(c)}</li>
            ))}
          </ul>
        </div>
      )}
      {entry.actions.length > 0 && (
        <div class="actions">
          {entry.actions.map((a, i) => (
            <Action key={i} action={a} onHuman={onHuman} />
          ))}
        </div>
      )}
    </div>
  );
}

function Action({ action, onHuman }: { action: SuggestedAction; onHuman: () => void }) {
  if (action.type === "human") {
    return (
      <button type="button" onClick={onHuman}>
        {action.label}
      </button>
    );
  }
  if (action.type === "agent") {
    // Agents run from the widget in a later version; the suggestion is shown so the visitor knows it exists.
    return (
      <button type="button" disabled title="Coming soon">
        {action.label}
      </button>
    );
  }
  const href = actionHref(action);
  if (!href) return null;
  return action.type === "link" ? (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {action.label}
    </a>
  ) : (
    <a href={href}>{action.label}</a>
  );
}
