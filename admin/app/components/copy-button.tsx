import { useEffect, useState } from "react";

/**
 * Copies `text` to the clipboard. Only drawn once the page's script runs (it can do nothing without it); the text
 * it copies is on the page anyway, to select by hand.
 */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [ready, setReady] = useState(false);
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => setReady(true), []);
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  if (!ready) return null;
  return (
    <button
      type="button"
      className="btn-secondary px-3 py-1"
      onClick={() =>
        navigator.clipboard.writeText(text).then(
          () => setState("copied"),
          () => setState("failed"),
        )
      }
    >
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}</span>
    </button>
  );
}
