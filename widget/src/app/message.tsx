// One message of the log. The visitor's own text is shown as text; an answer is markdown, rendered into Preact
// nodes (markdown.ts), with its `[n]` markers as numbered links to their sources.
import type { Citation, SuggestedAction } from "@bizbot/shared";
import { useContext, useState } from "preact/hooks";
import { actionHref, sourceLabel } from "./actions.ts";
import type { Entry } from "./conversation.ts";
import { link, markdown, safeHref } from "./markdown.ts";
import { Lang } from "./session.ts";
import { fill } from "./strings.ts";

/**
 * A citation as the widget can show it. The platform's Citation names the passage (title, heading path); a source
 * URL and the passage's text are read when the platform sends them, and the widget does without otherwise.
 */
type CitationView = Citation & { url?: string | null; text?: string | null };

export function Message({ entry, onHuman, onAgent }: { entry: Entry; onHuman: () => void; onAgent: (agentId: string) => void }) {
  const s = useContext(Lang);
  const [shown, setShown] = useState<number | null>(null);
  const mine = entry.role === "visitor";
  if (entry.pending && !entry.content) {
    return (
      <div class="msg bot typing">
        <span class="sr">{s.typing}</span>
        <i aria-hidden="true" />
        <i aria-hidden="true" />
        <i aria-hidden="true" />
      </div>
    );
  }
  const citations = entry.citations as CitationView[];
  const popId = `${entry.id}-cite`;
  const cite = (n: number) => {
    const c = citations.find((x) => x.n === n);
    if (!c) return undefined;
    const name = fill(s.source, n, sourceLabel(c).replace(/^\[\d+\] /, ""));
    const href = c.url ? safeHref(c.url) : undefined;
    return (
      <sup class="cite">
        {href ? (
          <a href={href} target="_blank" rel="noopener noreferrer" aria-label={name}>
            [{n}]
          </a>
        ) : (
          <button
            type="button"
            aria-label={name}
            aria-expanded={shown === n}
            aria-controls={popId}
            onClick={() => setShown(shown === n ? null : n)}
            onKeyDown={closeOnEscape}
          >
            [{n}]
          </button>
        )}
      </sup>
    );
  };
  const open = shown === null ? undefined : citations.find((c) => c.n === shown);
  // Escape closes an open source first (focus stays on its number, a disclosure's button); the panel, next time.
  const closeOnEscape = (e: KeyboardEvent) => {
    if (e.key === "Escape" && shown !== null) {
      e.stopPropagation();
      setShown(null);
    }
  };
  return (
    <div class={mine ? "msg me" : "msg bot"}>
      <span class="sr">{mine ? s.you : s.assistant} </span>
      {mine ? <p class="text">{entry.content}</p> : <div class="text md">{markdown(entry.content, { cite })}</div>}
      {open && (
        // A popover in the flow of the message: no positioning to compute, and nothing covers the answer.
        <section class="pop" id={popId} aria-label={sourceLabel(open)}>
          <p class="pop-title">{sourceLabel(open)}</p>
          {open.text && <p>{open.text}</p>}
          <button type="button" class="link" onClick={() => setShown(null)} onKeyDown={closeOnEscape}>
            {s.close}
          </button>
        </section>
      )}
      {entry.notice && <p class="notice">{entry.notice}</p>}
      {citations.length > 0 && (
        <div class="sources">
          <p>{s.sources}</p>
          <ul>
            {citations.map((c) => {
              const href = c.url ? safeHref(c.url) : undefined;
              return <li key={c.n}>{href ? link(href, sourceLabel(c)) : sourceLabel(c)}</li>;
            })}
          </ul>
        </div>
      )}
      {entry.actions.length > 0 && (
        <div class="actions">
          {entry.actions.map((a, i) => (
            <Action key={i} action={a} onHuman={onHuman} onAgent={onAgent} />
          ))}
        </div>
      )}
    </div>
  );
}

function Action({ action, onHuman, onAgent }: { action: SuggestedAction; onHuman: () => void; onAgent: (agentId: string) => void }) {
  if (action.type === "human") {
    return (
      <button type="button" onClick={onHuman}>
        {action.label}
      </button>
    );
  }
  if (action.type === "agent") {
    return action.agentId ? (
      <button type="button" onClick={() => onAgent(action.agentId!)}>
        {action.label}
      </button>
    ) : null;
  }
  const href = actionHref(action);
  if (!href) return null;
  return action.type === "link" ? link(href, action.label) : <a href={href}>{action.label}</a>;
}
