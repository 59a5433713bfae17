import { useState } from "preact/hooks";
import css from "./widget.css?inline";

export function App() {
  const [open, setOpen] = useState(false);
  return (
    <>
      {/* Rendered by Preact rather than appended by hand: render() would remove a foreign child. */}
      <style>{css}</style>
      {open && (
        <div class="panel" id="bizbot-panel" role="region" aria-label="BizBot chat">
          Chat is coming soon.
        </div>
      )}
      <button
        type="button"
        class="launcher"
        aria-label={open ? "Close chat" : "Open chat"}
        aria-expanded={open}
        aria-controls="bizbot-panel"
        onClick={() => setOpen(!open)}
      >
        <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" />
        </svg>
      </button>
    </>
  );
}
