import type { ReactNode } from "react";
import { CopyButton } from "./copy-button.tsx";

/** A secret the platform hands over once (a new API key): highlighted, selectable, copyable, and said to be shown once. */
export function OneTimeSecret({ title, secret, children }: { title: string; secret: string; children?: ReactNode }) {
  return (
    <section
      aria-labelledby="one-time-secret"
      className="mb-6 space-y-3 rounded-lg border-2 border-emerald-600 bg-emerald-50 p-5 text-emerald-950 dark:border-emerald-500 dark:bg-emerald-950 dark:text-emerald-50"
    >
      <h2 id="one-time-secret" className="text-lg font-semibold">
        {title}
      </h2>
      <p className="text-sm">
        <strong>Copy it now: it will not be shown again.</strong> BizBot keeps only a fingerprint of it, so if you lose it, roll the key to get a new one.
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <code className="min-w-0 select-all break-all rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-sm text-gray-900 dark:border-emerald-700 dark:bg-gray-950 dark:text-gray-100">
          {secret}
        </code>
        <CopyButton text={secret} label="Copy key" />
      </div>
      {children}
    </section>
  );
}
