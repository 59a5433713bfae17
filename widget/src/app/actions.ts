import type { Citation, SuggestedAction } from "@bizbot/shared";

// Simple on purpose: no spaces, one @, and nothing that would add headers (`?`) or break out of the URL.
const EMAIL = /^[^\s@?&#<>"]+@[^\s@?&#<>"]+\.[^\s@?&#<>"]+$/;

/**
 * Where a suggested link or address may take the visitor. The platform already drops suggestions that point
 * outside the knowledge base, but an href is the one place text becomes behaviour, so only http(s) and plain
 * addresses pass here too: never `javascript:`, `data:` or a relative path into the host page.
 */
export function actionHref(action: SuggestedAction): string | undefined {
  if (action.type === "link" && action.url) return webHref(action.url);
  if (action.type === "email" && action.email && EMAIL.test(action.email)) return `mailto:${action.email}`;
  return undefined;
}

/**
 * Where a citation links: the web page its document was imported from, when it has one and it is http(s). Otherwise
 * (a document added as text or a file, or an address such as `javascript:` or `data:`) no link: the citation shows
 * its passage instead.
 */
export function citationHref(c: Citation): string | undefined {
  return c.url ? webHref(c.url) : undefined;
}

/** The address, normalised by the URL parser, if it is http or https. */
function webHref(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** "[2] Refunds › Policy › Cards": the number matches the `[n]` marker in the answer. */
export function sourceLabel(c: Citation): string {
  return [`[${c.n}] ${c.title}`, ...c.headingPath].join(" › ");
}
