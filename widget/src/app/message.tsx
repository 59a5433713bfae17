// One message of the log. The visitor's own text is shown as text; an answer is markdown, rendered into Preact
// nodes (markdown.ts), with its `[n]` markers as numbered links to their sources.
import type { Citation, SuggestedAction } from "@bizbot/shared";
import type { ComponentChild } from "preact";
import { useContext, useMemo, useState } from "preact/hooks";
import { actionHref, citationHref, sourceLabel } from "./actions.ts";
import type { Entry } from "./conversation.ts";
import { link, markdown } from "./markdown.ts";
import { Lang } from "./session.ts";
import { fill, type Strings } from "./strings.ts";

export function Message({ entry, onHuman, onAgent }: { entry: Entry; onHuman: () => void; onAgent: (agentId: string) => void }) {
  const s = useContext(Lang);
  const [shown, setShown] = useState<number | null>(null);
  const mine = entry.role === "visitor";
  const citations = entry.citations;
  const popId = `${entry.id}-cite`;
  // Escape closes an open source first (focus stays on its number, a disclosure's button); the panel, next time.
  const closeOnEscape = (e: KeyboardEvent) => {
    if (e.key === "Escape" && shown !== null) {
      e.stopPropagation();
      setShown(null);
    }
  };
  const cite = (n: number) => {
    const c = citations.find((x) => x.n === n);
    return c && citeMarker(c, s, { open: shown === n, popId, toggle: () => setShown(shown === n ? null : n), onKeyDown: closeOnEscape });
  };
  // Parsed once per content: while an answer streams, the log renders again at each token, and the earlier
  // messages, unchanged, are not parsed again.
  const body = useMemo(() => (mine ? null : markdown(entry.content, { cite })), [mine, entry.content, citations, shown, s]);
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
  const open = shown === null ? undefined : citations.find((c) => c.n === shown);
  return (
    <div class={mine ? "msg me" : "msg bot"}>
      <span class="sr">{mine ? s.you : s.assistant} </span>
      {mine ? <p class="text">{entry.content}</p> : <div class="text md">{body}</div>}
      {open && sourcePopover(open, s, { popId, close: () => setShown(null), onKeyDown: closeOnEscape })}
      {entry.notice && <p class="notice">{entry.notice}</p>}
      {citations.length > 0 && (
        <div class="sources">
          <p>{s.sources}</p>
          <ul>
            {citations.map((c) => (
              <li key={c.n}>{sourceItem(c)}</li>
            ))}
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

interface CiteState {
  /** Whether this citation's popover is the one open. */
  open: boolean;
  popId: string;
  toggle: () => void;
  onKeyDown: (e: KeyboardEvent) => void;
}

/**
 * A `[n]` marker: a link to the page the passage comes from, opened in a new tab without access to this one, when
 * the citation has an http(s) address; otherwise a button that shows the passage in a popover (a disclosure).
 */
export function citeMarker(c: Citation, s: Strings, state: CiteState): ComponentChild {
  const name = fill(s.source, c.n, sourceLabel(c).replace(/^\[\d+\] /, ""));
  const href = citationHref(c);
  return (
    <sup class="cite">
      {href ? (
        <a href={href} target="_blank" rel="noopener noreferrer" aria-label={name}>
          [{c.n}]
        </a>
      ) : (
        <button type="button" aria-label={name} aria-expanded={state.open} aria-controls={state.popId} onClick={state.toggle} onKeyDown={state.onKeyDown}>
          [{c.n}]
        </button>
      )}
    </sup>
  );
}

/** The open citation's passage: in the flow of the message, so there is no position to compute and nothing covers the answer. */
export function sourcePopover(c: Citation, s: Strings, state: Pick<CiteState, "popId" | "onKeyDown"> & { close: () => void }): ComponentChild {
  return (
    <section class="pop" id={state.popId} aria-label={sourceLabel(c)}>
      <p class="pop-title">{sourceLabel(c)}</p>
      {c.text && <p>{c.text}</p>}
      <button type="button" class="link" onClick={state.close} onKeyDown={state.onKeyDown}>
        {s.close}
      </button>
    </section>
  );
}

/** A line of the answer's sources: a link to its page when it has one, its label as text otherwise. */
export function sourceItem(c: Citation): ComponentChild {
  const href = citationHref(c);
  return href ? link(href, sourceLabel(c)) : sourceLabel(c);
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
