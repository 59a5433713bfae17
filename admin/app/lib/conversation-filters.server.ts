// The conversation list's filters. The platform's conversations.list pages by cursor only (most recent activity
// first) and filters nothing, so the portal reads its pages and keeps what matches: a page here is one or more of
// the platform's, and the next page starts where the last one read ended.

export interface ConversationFilters {
  status: "" | "open" | "escalated";
  /** First and last day of activity, inclusive, as YYYY-MM-DD in UTC; "" for no bound. */
  from: string;
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const validDay = (v: string | null) => (v && DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? v : "");

export function readFilters(url: URL): ConversationFilters {
  const status = url.searchParams.get("status");
  return {
    status: status === "open" || status === "escalated" ? status : "",
    from: validDay(url.searchParams.get("from")),
    to: validDay(url.searchParams.get("to")),
  };
}

export const isFiltered = (f: ConversationFilters) => Boolean(f.status || f.from || f.to);

interface Listed {
  status: "open" | "escalated";
  updatedAt: string;
}

type ListPage<T> = (input: { cursor?: string; limit: number }) => Promise<{ conversations: T[]; nextCursor: string | null }>;

/** Unfiltered, a page is the platform's own. */
const PAGE_SIZE = 20;
/** Filtered: the platform's pages read at a time, until this many match or this many pages were read. */
const SCAN_PAGE_SIZE = 50;
const SCAN_PAGES = 10;

export interface FilteredPage<T> {
  conversations: T[];
  nextCursor: string | null;
  /** How many conversations were read to fill this page (more than it shows when filtered). */
  scanned: number;
}

export async function filteredPage<T extends Listed>(list: ListPage<T>, filters: ConversationFilters, cursor: string | undefined): Promise<FilteredPage<T>> {
  if (!isFiltered(filters)) {
    const page = await list({ ...(cursor ? { cursor } : {}), limit: PAGE_SIZE });
    return { ...page, scanned: page.conversations.length };
  }
  const from = filters.from ? Date.parse(`${filters.from}T00:00:00Z`) : Number.NEGATIVE_INFINITY;
  const until = filters.to ? Date.parse(`${filters.to}T00:00:00Z`) + 86_400_000 : Number.POSITIVE_INFINITY;
  const matches: T[] = [];
  let next = cursor ?? null;
  let scanned = 0;
  for (let read = 0; read < SCAN_PAGES && matches.length < PAGE_SIZE; read++) {
    const page = await list({ ...(next ? { cursor: next } : {}), limit: SCAN_PAGE_SIZE });
    scanned += page.conversations.length;
    next = page.nextCursor;
    for (const c of page.conversations) {
      const at = Date.parse(c.updatedAt);
      // Most recent activity first: past the first day asked for, nothing further can match.
      if (at < from) return { conversations: matches, nextCursor: null, scanned };
      if (at < until && (!filters.status || c.status === filters.status)) matches.push(c);
    }
    if (!next) break;
  }
  return { conversations: matches, nextCursor: next, scanned };
}
