// Entry of dist/widget-app.<hash>.js, the panel app. It registers with the loader through window.BizBot and
// exports nothing: the IIFE adds no global. Everything the page sees of it is inside the loader's shadow root.
import { render } from "preact";
import type { AppFactory, WidgetHost } from "../contract.ts";
import { browserSignals, fingerprint, randomVisitorId } from "../fingerprint.ts";
import { isRtl, pickLocale } from "../locale.ts";
import { browserStorage, type Identity, loadIdentity, readIdentity, saveIdentity } from "../storage.ts";
import { createApi } from "./api.ts";
import { Boundary } from "./boundary.tsx";
import { Panel } from "./panel.tsx";
import { eventSourceOver } from "./sse.ts";
import { Lang, type Session, SessionContext } from "./session.ts";
import { fill, STRINGS } from "./strings.ts";
import { themeCss } from "./theme.ts";
import css from "./panel.css?inline";

const start: AppFactory = (host: WidgetHost) => {
  const doc = host.root.ownerDocument;
  const storage = browserStorage();
  const sheet = new CSSStyleSheet();
  // Added to the loader's sheets without Array.prototype (the page may have replaced its methods).
  const sheets = host.root.adoptedStyleSheets;
  host.root.adoptedStyleSheets = [sheets[0]!, sheet];
  const container = doc.createElement("div");
  host.root.appendChild(container);
  const badge = doc.createElement("span");
  badge.className = "n";
  badge.setAttribute("aria-hidden", "true");
  host.launcher.appendChild(badge);

  let open = false;
  let mounted = false;
  let generation = 0;
  let unread = 0;
  let visitor = "";
  let rawIdentity: unknown;
  let identity: Identity = loadIdentity(storage, host.key);

  /** The identity the page gave on this load wins over the one kept from an earlier load. */
  const readHostIdentity = () => {
    const given = host.identity();
    if (given === undefined || given === rawIdentity) return;
    rawIdentity = given;
    identity = readIdentity(given);
    saveIdentity(storage, host.key, identity);
  };
  readHostIdentity();

  const setUnread = (count: number) => {
    if (count === unread) return;
    unread = count;
    badge.textContent = count > 0 ? String(Math.min(count, 99)) : "";
    const label = host.launcher.title;
    // The count joins the launcher's name only when there is one: "Chat with us (2)" still holds the visible label.
    if (count > 0) host.launcher.setAttribute("aria-label", `${label} (${count})`);
    else host.launcher.removeAttribute("aria-label");
    host.emit("unread", count);
  };

  const api = createApi(
    {
      key: host.key,
      apiBase: host.api,
      visitor: () => (visitor ||= fingerprint(randomVisitorId(storage), browserSignals())),
      user: () => (identity.userId && identity.userHash ? { userId: identity.userId, userHash: identity.userHash } : undefined),
    },
    // Streams too go through the loader's fetch: never the page's EventSource, which it may have wrapped (sse.ts).
    { fetch: host.fetch, EventSource: eventSourceOver(host.fetch) },
  );

  const draw = () => {
    const settings = host.settings();
    const locale = pickLocale([settings.locale, host.config.look.locale, doc.documentElement.lang, navigator.language]);
    const left = (settings.position ?? host.config.look.position) === "bottom-left";
    sheet.replaceSync(css + themeCss(host.config.look.brandColor));
    container.className = `w t-${host.config.look.theme}${left ? " left" : ""}`;
    container.dir = isRtl(locale) ? "rtl" : "ltr";
    container.lang = locale;
    if (!mounted) return;
    const session: Session = {
      host,
      api,
      storage,
      locale,
      onMessage(message) {
        host.emit("message", message);
        if (!open) setUnread(unread + 1);
      },
    };
    const strings = STRINGS[locale];
    render(
      <SessionContext.Provider value={session}>
        <Lang.Provider value={strings}>
          {/* Keyed by the generation: `shutdown` starts the panel afresh, and clears a failure too. */}
          <Boundary
            key={generation}
            open={open}
            title={host.config.botName}
            label={fill(strings.dialog, host.config.botName)}
            strings={strings}
            onClose={() => host.setOpen(false)}
            onError={() => host.emit("error", { code: "internal" })}
          >
            <Panel open={open} config={host.config} />
          </Boundary>
        </Lang.Provider>
      </SessionContext.Provider>,
      container,
    );
  };
  /** What the loader calls must not throw into the page: the boundary takes the panel's errors, this the rest. */
  const safely = (fn: () => void) => {
    try {
      fn();
    } catch (error) {
      console.error(error);
    }
  };
  draw();

  return {
    setOpen(next) {
      open = next;
      // The panel mounts on the first opening: until then the app costs the page no requests.
      mounted ||= next;
      if (open) setUnread(0);
      safely(draw);
    },
    refresh() {
      safely(() => {
        readHostIdentity();
        draw();
      });
    },
    reset() {
      // The loader emptied storage: a new visitor, no identity, no conversation; the panel starts afresh.
      visitor = "";
      rawIdentity = undefined;
      identity = {};
      generation++;
      setUnread(0);
      safely(draw);
    },
  };
};

try {
  window.BizBot?.("_app", start);
} catch (error) {
  console.error(error);
}
