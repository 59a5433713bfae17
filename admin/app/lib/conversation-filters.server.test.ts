import { describe, expect, it } from "vitest";
import { filteredPage, readFilters } from "./conversation-filters.server.ts";

interface Row {
  id: string;
  status: "open" | "escalated";
  updatedAt: string;
}

/** A stand-in for conversations.list: `rows` newest first, paged by index as the cursor. */
function lister(rows: Row[]) {
  const calls: Array<{ cursor?: string; limit: number }> = [];
  const list = async (input: { cursor?: string; limit: number }) => {
    calls.push(input);
    const start = input.cursor ? Number(input.cursor) : 0;
    const page = rows.slice(start, start + input.limit);
    return { conversations: page, nextCursor: start + input.limit < rows.length ? String(start + input.limit) : null };
  };
  return { list, calls };
}

const day = (n: number, i: number): Row => ({
  id: `c${n}-${i}`,
  status: i % 10 === 0 ? "escalated" : "open",
  updatedAt: `2026-12-${String(n).padStart(2, "0")}T12:00:00.000Z`,
});
// 30 a day from the 20th down to the 1st, newest first.
const rows = Array.from({ length: 20 }, (_, d) => Array.from({ length: 30 }, (_, i) => day(20 - d, i))).flat();

describe("readFilters", () => {
  it("keeps what it understands", () => {
    expect(readFilters(new URL("http://x/?status=escalated&from=2026-12-01&to=nope"))).toEqual({ status: "escalated", from: "2026-12-01", to: "" });
    expect(readFilters(new URL("http://x/?status=closed&from=2026-13-45"))).toEqual({ status: "", from: "", to: "" });
  });
});

describe("filteredPage", () => {
  it("unfiltered, is the platform's page", async () => {
    const { list, calls } = lister(rows);
    const page = await filteredPage(list, { status: "", from: "", to: "" }, undefined);
    expect(page.conversations).toHaveLength(20);
    expect(page.nextCursor).toBe("20");
    expect(calls).toEqual([{ limit: 20 }]);
  });

  it("reads pages until enough match, and goes on from where it stopped", async () => {
    const { list } = lister(rows);
    const page = await filteredPage(list, { status: "escalated", from: "", to: "" }, undefined);
    expect(page.conversations.every((c) => c.status === "escalated")).toBe(true);
    expect(page.conversations.length).toBeGreaterThanOrEqual(20);
    const next = await filteredPage(list, { status: "escalated", from: "", to: "" }, page.nextCursor!);
    expect(next.conversations[0]!.id).not.toBe(page.conversations[0]!.id);
    expect(new Set([...page.conversations, ...next.conversations].map((c) => c.id)).size).toBe(page.conversations.length + next.conversations.length);
  });

  it("keeps the days asked for, page after page, and stops at the first day before them", async () => {
    const { list, calls } = lister(rows);
    const filters = { status: "" as const, from: "2026-12-18", to: "2026-12-19" };
    const seen: Row[] = [];
    let cursor: string | undefined;
    do {
      const page = await filteredPage(list, filters, cursor);
      seen.push(...page.conversations);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(60);
    expect(seen.every((c) => c.updatedAt.startsWith("2026-12-18") || c.updatedAt.startsWith("2026-12-19"))).toBe(true);
    // Rows of the 17th are read once, to see the range has ended; nothing older is asked for.
    expect(calls.length).toBeLessThanOrEqual(3);
  });

  it("gives up after a bounded number of pages, with a cursor to carry on", async () => {
    const { list, calls } = lister(rows);
    const page = await filteredPage(list, { status: "", from: "", to: "2026-11-30" }, undefined);
    expect(page.conversations).toEqual([]);
    expect(calls).toHaveLength(10);
    expect(page.scanned).toBe(500);
    expect(page.nextCursor).toBe("500");
  });
});
