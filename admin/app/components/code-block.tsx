import { CopyButton } from "./copy-button.tsx";

/** A labelled snippet to paste elsewhere, with a copy button; it scrolls sideways rather than widening the page. */
export function CodeBlock({ code, label, copyLabel = `Copy ${label.toLowerCase()}` }: { code: string; label: string; copyLabel?: string }) {
  return (
    <figure className="min-w-0 space-y-1">
      <figcaption className="flex flex-wrap items-center justify-between gap-2 text-sm font-medium">
        {label}
        <CopyButton text={code} label={copyLabel} />
      </figcaption>
      {/* Focusable, so that keyboard users can scroll a long line. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <pre tabIndex={0} className="overflow-x-auto rounded-md bg-gray-100 p-3 text-xs leading-relaxed text-gray-900 dark:bg-gray-950 dark:text-gray-100">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
