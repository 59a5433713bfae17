import type { Citation, SuggestedAction } from "@bizbot/shared";

// Simple on purpose: no spaces, one @, and nothing that would add headers (`?`) or break out of the URL.
const EMAIL = /^[^\s@?&#<>"]+@[^\s@?&#<>"]+\.[^\s@?&#<>"]+$/;

/**
 * Where a suggested link or address may take the visitor. The platform already drops suggestions that point
 * outside the knowledge base, but an href is the one place text becomes behaviour, so only http(s) and plain
 * addresses pass here too: never `javascript:`, `data:` or a relative path into the host page.
 */
export function actionHref(action: SuggestedAction): string | undefined {
  if (action.type === "link" && action.url) {
    try {
      const url = new URL(action.url);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
    } catch {
      return undefined;
    }
  }
  if (action.type === "email" && action.email && EMAIL.test(action.email)) return `mailto:${action.email}`;
  return undefined;
}

/** "[2] Refunds › Policy › Cards": the number matches the `[n]` marker in the answer. */
export function sourceLabel(c: Citation): string {
  return [`[${c.n}] ${c.title}`, ...c.headingPath].join(" › ");
}
