import type { ReactNode } from "react";

/**
 * A wide table that scrolls sideways on small screens (relative: the table's visually hidden text is placed in it,
 * not against the page, which it would widen). Focusable, so keyboard users can scroll it even when it holds
 * no link or button; named, so screen readers say what they landed on.
 */
export function TableScroll({ label, className = "", children }: { label: string; className?: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to be scrolled by keyboard
    <section aria-label={label} tabIndex={0} className={`relative overflow-x-auto ${className}`}>
      {children}
    </section>
  );
}
