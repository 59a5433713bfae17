// The panel: a dialog labelled with the bot's name, holding the chat and, when the tenant offers agents, the agents.
// Escape closes it (the loader gives focus back to the launcher); "Talk to a person" is always in its header.
import type { WidgetConfigResponse } from "@bizbot/shared";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import { Agents } from "./agents/agents.tsx";
import { Chat } from "./chat.tsx";
import { Lang, SessionContext } from "./session.ts";
import { fill } from "./strings.ts";
import { useChat } from "./use-chat.ts";

type View = "chat" | "agents";

/** The platform's default greeting (platform/src/tenants/settings.ts): said in the visitor's language while unchanged. */
const DEFAULT_GREETING = "Hi! How can we help?";

/** panel.css's phone layout: the panel covers the whole screen. */
const PHONE = "(max-width: 639px)";
/** What Tab stops at: the inactive tab and headings given focus by script are not among them. */
const TABBABLE = ':is(a[href],button,input,select,textarea):not(:disabled,[tabindex="-1"])';

/**
 * Full screen, the panel hides the page: Tab goes round inside it (from its last stop to its first, and Shift+Tab
 * back), rather than on to the page's links, which have focus out of sight.
 */
function wrapFocus(e: KeyboardEvent, active: Element | null): void {
  let first: HTMLElement | undefined;
  let last: HTMLElement | undefined;
  for (const el of (e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>(TABBABLE)) {
    if (el.getClientRects().length > 0) {
      first ??= el;
      last = el;
    }
  }
  if (active === (e.shiftKey ? first : last)) {
    e.preventDefault();
    (e.shiftKey ? last : first)?.focus();
  }
}

export function Panel({ open, config }: { open: boolean; config: WidgetConfigResponse }) {
  const session = useContext(SessionContext);
  const s = useContext(Lang);
  const chat = useChat({
    api: session.api,
    storage: session.storage,
    key: session.host.key,
    strings: s,
    onAnswer: (m) => session.onMessage({ role: "assistant", content: m.content }),
  });
  const [view, setView] = useState<View>("chat");
  const [agentId, setAgentId] = useState<string | null>(null);
  /** The agents view mounts when first shown: a visitor who only chats costs no widget.agents call. */
  const [agentsShown, setAgentsShown] = useState(false);
  /** Bumped on each opening so the chat's input takes focus again. */
  const [opened, setOpened] = useState(0);
  const tabs = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (open) setOpened((n) => n + 1);
  }, [open]);

  const show = (next: View) => {
    setView(next);
    if (next === "agents") setAgentsShown(true);
  };
  const greeting = config.look.greeting === DEFAULT_GREETING ? s.defaultGreeting : config.look.greeting;
  const views: View[] = config.agents ? ["chat", "agents"] : ["chat"];

  return (
    <div
      class="panel"
      role="dialog"
      aria-label={fill(s.dialog, config.botName)}
      hidden={!open}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          session.host.setOpen(false);
        }
        if (e.key === "Tab" && matchMedia(PHONE).matches) wrapFocus(e, session.host.root.activeElement);
      }}
    >
      <div class="head">
        <div class="title">
          <h2>{config.botName}</h2>
          {chat.state.status === "escalated" && <p class="status">{s.waiting}</p>}
        </div>
        <button
          type="button"
          class="person"
          onClick={() => {
            show("chat");
            void chat.handoff();
          }}
        >
          {s.person}
        </button>
        <button type="button" class="close" aria-label={s.close} onClick={() => session.host.setOpen(false)}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      {views.length > 1 && (
        // Tabs as WAI-ARIA describes them: one tab stop, arrow keys move between them.
        <div class="tabs" role="tablist" aria-label={s.views} ref={tabs}>
          {views.map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              id={`bz-tab-${v}`}
              aria-selected={view === v}
              aria-controls={`bz-view-${v}`}
              tabIndex={view === v ? 0 : -1}
              onClick={() => show(v)}
              onKeyDown={(e) => {
                if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
                const next = views[(views.indexOf(v) + 1) % views.length]!;
                show(next);
                tabs.current?.querySelector<HTMLButtonElement>(`#bz-tab-${next}`)?.focus();
              }}
            >
              {v === "chat" ? s.chat : s.agents}
            </button>
          ))}
        </div>
      )}
      <div class="body" id="bz-view-chat" {...(views.length > 1 ? { role: "tabpanel", "aria-labelledby": "bz-tab-chat" } : {})} hidden={view !== "chat"}>
        <Chat
          chat={chat}
          greeting={greeting}
          hidden={!open || view !== "chat"}
          focus={opened}
          onAgent={(id) => {
            setAgentId(id);
            show("agents");
          }}
        />
      </div>
      {views.length > 1 && (
        <div class="body" id="bz-view-agents" role="tabpanel" aria-labelledby="bz-tab-agents" hidden={view !== "agents"}>
          {agentsShown && <Agents hidden={!open || view !== "agents"} selected={agentId} onSelect={setAgentId} />}
        </div>
      )}
    </div>
  );
}
