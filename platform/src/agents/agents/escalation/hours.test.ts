import { describe, expect, it } from "vitest";
import { type BusinessHours, describeHours, withinHours } from "./hours.ts";

const berlin: BusinessHours = { timeZone: "Europe/Berlin", days: [1, 2, 3, 4, 5], open: "08:30", close: "18:00" };

describe("withinHours", () => {
  it.each([
    ["2025-03-10T07:29:00Z", false], // Monday 08:29 CET
    ["2025-03-10T07:30:00Z", true], // 08:30 CET: open
    ["2025-03-10T16:59:00Z", true],
    ["2025-03-10T17:00:00Z", false], // 18:00 CET: closed
    ["2025-07-07T06:45:00Z", true], // Monday 08:45 CEST: summer time moves the window
    ["2025-07-07T16:30:00Z", false], // 18:30 CEST
    ["2025-03-15T10:00:00Z", false], // Saturday
  ])("Berlin office hours at %s: %s", (at, expected) => {
    expect(withinHours(berlin, new Date(at))).toBe(expected);
  });

  const night: BusinessHours = { timeZone: "Asia/Tokyo", days: [1, 2, 3, 4, 5], open: "22:00", close: "06:00" };
  it.each([
    ["2025-03-10T13:30:00Z", true], // Monday 22:30 JST
    ["2025-03-10T20:00:00Z", true], // Tuesday 05:00 JST, the Monday shift
    ["2025-03-10T21:00:00Z", false], // Tuesday 06:00 JST
    ["2025-03-09T20:00:00Z", false], // Monday 05:00 JST: Sunday has no shift
    ["2025-03-15T20:00:00Z", false], // Sunday 05:00 JST: the Saturday has no shift
    ["2025-03-14T20:00:00Z", true], // Saturday 05:00 JST, the Friday shift
  ])("an overnight shift at %s: %s", (at, expected) => {
    expect(withinHours(night, new Date(at))).toBe(expected);
  });

  it("takes open equal to close as the whole day", () => {
    const allDay: BusinessHours = { timeZone: "UTC", days: [6], open: "00:00", close: "00:00" };
    expect(withinHours(allDay, new Date("2025-03-15T23:59:00Z"))).toBe(true);
    expect(withinHours(allDay, new Date("2025-03-16T00:00:00Z"))).toBe(false);
  });
});

describe("describeHours", () => {
  it("writes a run of days as a range, others as a list", () => {
    expect(describeHours(berlin)).toBe("Mon–Fri 08:30–18:00, Europe/Berlin");
    expect(describeHours({ ...berlin, days: [6, 0] })).toBe("Sun, Sat 08:30–18:00, Europe/Berlin");
  });
});
