import { useEffect, useState } from "react";

export interface ToastMessage {
  kind: "success" | "error";
  message: string;
}

/**
 * The message a form post left for this page. Rendered on the server, so it shows without JavaScript; with it, it
 * fades after a few seconds and can be dismissed. A live region, so screen readers announce it.
 */
export function Toaster({ toast }: { toast: ToastMessage | null }) {
  const [shown, setShown] = useState(toast);
  useEffect(() => {
    setShown(toast);
    if (!toast) return;
    const timer = setTimeout(() => setShown(null), 6000);
    return () => clearTimeout(timer);
  }, [toast]);
  return (
    <div aria-live="polite" className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex justify-center px-4 sm:justify-end">
      {shown && (
        <div
          role={shown.kind === "error" ? "alert" : "status"}
          className={`pointer-events-auto flex max-w-md items-start gap-3 rounded-lg border px-4 py-3 text-sm shadow-lg ${
            shown.kind === "error"
              ? "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
              : "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
          }`}
        >
          <span>{shown.message}</span>
          <button type="button" onClick={() => setShown(null)} className="ml-auto font-semibold underline" aria-label="Dismiss notification">
            ×
          </button>
        </div>
      )}
    </div>
  );
}
