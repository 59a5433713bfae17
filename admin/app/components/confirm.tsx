import type { ReactNode } from "react";

/**
 * A destructive action behind a second click, without JavaScript: the summary opens the confirmation, whose form
 * does the deed. Closed again by clicking the summary.
 */
export function Confirm({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <details className="group">
      <summary className="btn-secondary cursor-pointer list-none px-3 py-1 [&::-webkit-details-marker]:hidden">{label}</summary>
      <div className="mt-2 w-72 max-w-full space-y-3 rounded-md text-left border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
        {children}
      </div>
    </details>
  );
}
