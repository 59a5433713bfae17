import { describe, expect, it } from "vitest";
import { findTimestamp } from "./timestamps.ts";

const text = (line: string) => findTimestamp(line)?.stamp.text ?? null;

describe("findTimestamp", () => {
  it.each([
    ["2024-05-01T12:00:00Z ERROR boom", "2024-05-01T12:00:00Z"],
    ["2024-05-01T12:00:00.123456Z ERROR boom", "2024-05-01T12:00:00.123Z"],
    ["2024-05-01T14:00:00+02:00 ERROR boom", "2024-05-01T12:00:00Z"],
    ["2024-05-01T07:30:00-0430 ERROR boom", "2024-05-01T12:00:00Z"],
    ["2024-05-01 12:00:00 UTC ERROR boom", "2024-05-01T12:00:00Z"],
    ["2024-05-01 12:00:00,250 ERROR app: boom", "2024-05-01T12:00:00.250"],
    ['{"level":"error","time":"2024-05-01T12:00:00.5Z","msg":"boom"}', "2024-05-01T12:00:00.500Z"],
  ])("reads ISO 8601: %s", (line, expected) => {
    expect(text(line)).toBe(expected);
  });

  it("reads the common log format, zone included", () => {
    expect(text('10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.1" 500 12')).toBe("2000-10-10T20:55:36Z");
  });

  it("reads nginx's error log time", () => {
    expect(text("2024/05/01 12:00:00 [error] 31#31: *1 connect() failed")).toBe("2024-05-01T12:00:00");
  });

  it("reads syslog times, which have no year, as written", () => {
    expect(text("May  1 12:00:00 web-01 app[12]: ERROR boom")).toBe("May 1 12:00:00");
    expect(text("<34>Oct 11 22:14:15 mymachine su: 'su root' failed")).toBe("Oct 11 22:14:15");
  });

  it("reads epoch seconds and milliseconds under a time key", () => {
    expect(text('{"level":50,"time":1714564800123,"msg":"boom"}')).toBe("2024-05-01T12:00:00.123Z");
    expect(text("ts=1714564800 level=error msg=boom")).toBe("2024-05-01T12:00:00Z");
  });

  it("orders times with a zone by the instant, whatever zone they were written in", () => {
    const a = findTimestamp("2024-05-01T13:00:00+02:00 x")!.stamp;
    const b = findTimestamp("2024-05-01T12:00:00Z x")!.stamp;
    expect(a.order).toBeLessThan(b.order);
  });

  it("takes the earliest time in the line", () => {
    expect(text("2024-05-01T12:00:00Z retry scheduled for 2024-05-02T00:00:00Z")).toBe("2024-05-01T12:00:00Z");
    expect(findTimestamp("[pid 7] 2024-05-01T12:00:00Z x")).toMatchObject({ index: 8, length: 20 });
  });

  it.each([
    ["no time here"],
    ["2024-02-30T12:00:00Z impossible day"],
    ["2024-05-01T25:00:00Z impossible hour"],
    ["version 2024-05-01"],
    ["Foo 12 12:00:00 not a month"],
  ])("finds nothing in %s", (line) => {
    expect(findTimestamp(line)).toBeNull();
  });
});
