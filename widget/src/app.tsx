import { useRef, useState } from "preact/hooks";
import type { ApiConfig } from "./api.ts";
import { Chat, PANEL_ID } from "./chat.tsx";
import css from "./widget.css?inline";

export function App({ config }: { config: ApiConfig }) {
  const [open, setOpen] = useState(false);
  // The panel mounts on the first opening, not before: a closed launcher costs the host page no requests.
  const [opened, setOpened] = useState(false);
  const launcher = useRef<HTMLButtonElement>(null);

  const close = () => {
    setOpen(false);
    launcher.current?.focus();
  };

  return (
    <>
      {/* Rendered by Preact rather than appended by hand: render() would remove a foreign child. */}
      <style>{css}</style>
      {opened && <Chat config={config} hidden={!open} onClose={close} />}
      <button
        ref={launcher}
        type="button"
        class="launcher"
        aria-label={open ? "Close chat" : "Open chat"}
        aria-expanded={open}
        aria-controls={PANEL_ID}
        aria-haspopup="dialog"
        onClick={() => {
          setOpened(true);
          setOpen(!open);
        }}
        onKeyDown={(e) => {
          if (e.key === "Escape" && open) close();
        }}
      >
        <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" />
        </svg>
      </button>
    </>
  );
}
