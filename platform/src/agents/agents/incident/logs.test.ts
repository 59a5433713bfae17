import { describe, expect, it } from "vitest";
import { isErrorLine, readLogs, TOP_SIGNATURES } from "./logs.ts";

/** Text that makes a regular expression with unbounded nested repeats take quadratic time or worse. */
const PATHOLOGICAL = ["a.", "a-", "1.", "a:1 ", "A$", "a@a.", '"a', "'a ", "fe80:"];

describe("isErrorLine", () => {
  it.each([
    ["2024-05-01T12:00:00Z ERROR db timeout"],
    ["FATAL: could not open file"],
    ["CRITICAL disk full"],
    ["2024/05/01 12:00:00 [error] 31#31: *1 connect() failed (111: Connection refused)"],
    ["[Wed May 01 12:00:00 2024] [crit] server reached MaxRequestWorkers"],
    ["ts=2024-05-01T12:00:00Z level=error msg=boom"],
    ['{"level":"error","msg":"boom"}'],
    ['{"severity":"ERROR","message":"boom"}'],
    ['{"level":50,"msg":"boom"}'],
    ["panic: runtime error: invalid memory address or nil pointer dereference"],
    ["error[E0308]: mismatched types"],
    ["error: failed to push some refs"],
    ['Exception in thread "main" java.lang.IllegalStateException: boom'],
    ["Caused by: java.net.SocketTimeoutException: Read timed out"],
    ["ValueError: invalid literal for int() with base 10: 'x'"],
    ["Error: connect ECONNREFUSED 10.0.0.5:5432"],
    ["Unhandled promise rejection"],
    ['10.0.0.1 - - [01/May/2024:12:00:00 +0000] "POST /pay HTTP/1.1" 502 0'],
    ['{"status":503,"path":"/api"}'],
    ["method=GET path=/api status=500 duration=3ms"],
  ])("counts %s", (line) => {
    expect(isErrorLine(line)).toBe(true);
  });

  it.each([
    ["2024-05-01T12:00:00Z INFO request served"],
    ["WARN retrying after error: connection reset"],
    ["level=info msg=ok"],
    ['{"level":30,"msg":"ok"}'],
    ['10.0.0.1 - - [01/May/2024:12:00:00 +0000] "GET / HTTP/1.1" 404 0'],
    ['{"status":200}'],
    ["0 errors, 3 warnings"],
    ["\tat com.acme.Billing.charge(Billing.java:42)"],
  ])("does not count %s", (line) => {
    expect(isErrorLine(line)).toBe(false);
  });
});

describe("readLogs", () => {
  it("gives empty signals without logs", () => {
    expect(readLogs(undefined)).toEqual({ errorLines: 0, firstSeen: null, lastSeen: null, topErrors: [], responses: 0, serverErrors: 0, timeouts: 0 });
  });

  it("groups the same error with different ids into one signature, most frequent first", () => {
    const logs = [
      "2024-05-01T12:00:00Z INFO started",
      "2024-05-01T12:00:01Z ERROR payment 1001 failed: card declined (req_a1b2c3d4)",
      "2024-05-01T12:00:02Z ERROR db pool exhausted after 30000ms",
      "2024-05-01T12:00:03Z ERROR payment 1002 failed: card declined (req_e5f6g7h8)",
      "2024-05-01T12:00:04Z ERROR payment 1003 failed: card declined (req_i9j0k1l2)",
      "2024-05-01T12:00:05Z ERROR db pool exhausted after 30001ms",
      "2024-05-01T12:00:06Z WARN slow query",
    ].join("\n");
    const signals = readLogs(logs);
    expect(signals.errorLines).toBe(5);
    expect(signals.topErrors).toEqual([
      { signature: "ERROR payment <n> failed: card declined (<id>)", count: 3 },
      { signature: "ERROR db pool exhausted after <n>ms", count: 2 },
    ]);
  });

  it("keeps the ten most frequent signatures, equal counts in the order they appeared", () => {
    const lines: string[] = [];
    for (let kind = 0; kind < 14; kind++) {
      const word = "abcdefghijklmnopqrstuvwxyz"[kind]!.repeat(3);
      for (let n = 0; n < (kind === 13 ? 5 : 2); n++) lines.push(`ERROR failure ${word} on item ${n}`);
    }
    const { topErrors, errorLines } = readLogs(lines.join("\n"));
    expect(errorLines).toBe(13 * 2 + 5);
    expect(topErrors).toHaveLength(TOP_SIGNATURES);
    expect(topErrors[0]).toEqual({ signature: "ERROR failure nnn on item <n>", count: 5 });
    expect(topErrors.slice(1).map((e) => e.signature)).toEqual(
      ["aaa", "bbb", "ccc", "ddd", "eee", "fff", "ggg", "hhh", "iii"].map((w) => `ERROR failure ${w} on item <n>`),
    );
  });

  it("finds the first and last error time across formats, in any order", () => {
    const logs = [
      "2024-05-01T12:05:00Z ERROR later one",
      '10.0.0.1 - - [01/May/2024:12:01:00 +0000] "GET /a HTTP/1.1" 500 0',
      "2024-05-01T11:00:00Z INFO earlier, but not an error",
      '{"level":"error","time":1714565100000,"msg":"json one"}',
      "2024-05-01T14:02:00+02:00 ERROR zoned one",
    ].join("\n");
    const signals = readLogs(logs);
    expect(signals.firstSeen).toBe("2024-05-01T12:01:00Z");
    expect(signals.lastSeen).toBe("2024-05-01T12:05:00Z");
  });

  it("orders syslog times within their year", () => {
    const signals = readLogs(
      ["May  2 09:00:00 web-01 app[7]: ERROR b", "May  1 23:59:59 web-01 app[7]: ERROR a", "Apr 30 08:00:00 web-01 app[7]: INFO c"].join("\n"),
    );
    expect(signals).toMatchObject({ firstSeen: "May 1 23:59:59", lastSeen: "May 2 09:00:00" });
  });

  it("has no times when the error lines carry none", () => {
    expect(readLogs("ERROR one\nERROR two")).toMatchObject({ errorLines: 2, firstSeen: null, lastSeen: null });
  });

  it("counts a Python traceback once, by its exception", () => {
    const logs = [
      "Traceback (most recent call last):",
      '  File "/srv/app/views.py", line 12, in checkout',
      "    total = int(form['qty'])",
      "ValueError: invalid literal for int() with base 10: 'abc'",
      "INFO next request",
      "Traceback (most recent call last):",
      '  File "/srv/app/views.py", line 12, in checkout',
      "ValueError: invalid literal for int() with base 10: 'x'",
    ].join("\n");
    const signals = readLogs(logs);
    expect(signals.errorLines).toBe(2);
    expect(signals.topErrors).toEqual([{ signature: "ValueError: invalid literal for int() with base <n>: '<str>'", count: 2 }]);
  });

  it("counts a traceback cut off before its exception by its header", () => {
    expect(readLogs('Traceback (most recent call last):\n  File "a.py", line 1').topErrors).toEqual([
      { signature: "Traceback (most recent call last):", count: 1 },
    ]);
  });

  it("counts HTTP responses, their 5xx and timeouts", () => {
    const logs = [
      '1.1.1.1 - - [01/May/2024:12:00:00 +0000] "GET /a HTTP/1.1" 200 1',
      '1.1.1.1 - - [01/May/2024:12:00:01 +0000] "GET /a HTTP/1.1" 504 1',
      "level=info status=200 path=/b",
      'level=error status=503 path=/b msg="upstream timed out"',
      "java.net.SocketTimeoutException: Read timed out",
      "INFO runtime output flushed",
    ].join("\n");
    expect(readLogs(logs)).toMatchObject({ responses: 4, serverErrors: 2, timeouts: 2, errorLines: 3 });
  });

  it("reads 100 KB of logs quickly", () => {
    const line = '2024-05-01T12:00:00.123Z ERROR request 123456 to 10.0.0.1:8080 failed with "connection reset" (trace=0123456789abcdef)\n';
    const logs = line.repeat(Math.floor((100 * 1024) / line.length));
    const started = performance.now();
    const signals = readLogs(logs);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(signals.topErrors).toHaveLength(1);
    expect(signals.errorLines).toBe(Math.floor((100 * 1024) / line.length));
  });

  it.each(PATHOLOGICAL)("stays fast on a 100 KB line of %j", (unit) => {
    const started = performance.now();
    readLogs(`ERROR ${unit.repeat((100 * 1024) / unit.length)}`);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
