import { describe, expect, it } from "vitest";
import { formatCompact, formatDateTime, formatNumber, formatPercent, formatUsd } from "./format.ts";

describe("the portal's formats", () => {
  it("write numbers as Intl's en-US does", () => {
    const intl = new Intl.NumberFormat("en-US", { maximumFractionDigits: 3 });
    for (const n of [0, 7, 999, 1000, 12_345.5, -1_234_567, 0.125, 1_000_000_000]) expect(formatNumber(n), String(n)).toBe(intl.format(n));
  });

  it("write times as Intl's en-GB does, in UTC", () => {
    const intl = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
    for (const iso of ["2026-12-07T13:11:00Z", "2026-01-01T00:05:59Z", "2026-09-30T23:59:00Z"])
      expect(formatDateTime(iso)).toBe(`${intl.format(new Date(iso))} UTC`);
  });

  it("write money, rates and axis numbers", () => {
    expect(formatUsd(1234.5)).toBe("$1,234.50");
    expect(formatUsd(0.0042)).toBe("$0.0042");
    expect(formatPercent(0.456)).toBe("46%");
    expect(formatPercent(null)).toBe("—");
    expect(formatCompact(999_990)).toBe("1M");
    expect(formatCompact(1234)).toBe("1.2K");
  });
});
