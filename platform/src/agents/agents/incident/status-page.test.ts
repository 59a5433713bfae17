import { describe, expect, it } from "vitest";
import { internalNames, leaksIn, type StatusDraft, signatureTerms, stripLeaks } from "./status-page.ts";

/** Text that makes a regular expression with unbounded nested repeats take quadratic time or worse. */
const PATHOLOGICAL = ["a.", "a-", "1.", "a:1 ", "A$", "a@a.", '"a', "'a ", "fe80:"];

describe("internalNames", () => {
  it("finds IP addresses and host names in logs", () => {
    const logs = [
      "May  1 12:00:00 web-01 app[12]: ERROR connect to 10.0.3.17:5432 failed",
      "level=error host=ip-10-0-3-17 pod=checkout-7d9f8b6c4-x2x9z msg=boom",
      "ERROR upstream redis-cache:6379 refused; primary db-primary.prod.internal unreachable",
      "ERROR POST http://payments-svc/charge failed; https://api.stripe.com/v1 ok; fe80::1ff:fe23:4567:890a",
    ].join("\n");
    expect(internalNames(logs).sort()).toEqual(
      [
        "10.0.3.17",
        "checkout-7d9f8b6c4-x2x9z",
        "db-primary.prod.internal",
        "fe80::1ff:fe23:4567:890a",
        "ip-10-0-3-17",
        "payments-svc",
        "redis-cache",
        "web-01",
      ].sort(),
    );
  });

  it("leaves plain words, source files, versions and public domains alone", () => {
    expect(internalNames("host=api server: nginx at views.py:42 in release 2.4.1 via https://status.example.com, status:503")).toEqual([]);
  });

  it.each(PATHOLOGICAL)("stays fast on 100 KB of %j", (unit) => {
    const started = performance.now();
    internalNames(unit.repeat((100 * 1024) / unit.length));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("signatureTerms", () => {
  it("takes exception names, error codes, qualified names, paths and long literal stretches", () => {
    const terms = signatureTerms([
      { signature: "java.lang.IllegalStateException: pool exhausted for tenant <id>", count: 3 },
      { signature: "Error: connect ECONNREFUSED <ip>", count: 2 },
      { signature: "GET /api/orders/<n> <n>", count: 9 },
      { signature: "ERROR failed to acquire connection from the primary pool after <n>ms", count: 1 },
      { signature: "ERROR boom <n>", count: 1 },
    ]);
    expect(terms).toEqual(
      expect.arrayContaining([
        "IllegalStateException",
        "java.lang.IllegalStateException",
        "ECONNREFUSED",
        "/api/orders",
        "ERROR failed to acquire connection from the primary pool after",
      ]),
    );
    expect(terms).not.toContain("ERROR boom");
  });
});

const draft = (message: string, title = "Checkout problems"): StatusDraft => ({ title, status: "investigating", message });

describe("leaksIn", () => {
  it("finds terms whole, case-insensitively, across spacing", () => {
    const terms = ["10.0.3.17", "redis-cache", "ERROR failed to acquire connection from the primary pool after"];
    expect(leaksIn(draft("Our servers at 10.0.3.17 are down."), terms)).toEqual(["10.0.3.17"]);
    expect(leaksIn(draft("Redis-Cache is restarting."), terms)).toEqual(["redis-cache"]);
    expect(leaksIn(draft("We saw: error failed to acquire connection\nfrom the primary pool after 30s"), terms)).toHaveLength(1);
  });

  it("does not match inside longer names or numbers", () => {
    expect(leaksIn(draft("Address 10.0.3.170 and redis-cache-2 are fine."), ["10.0.3.17", "redis-cache"])).toEqual([]);
  });

  it("looks at the title too", () => {
    expect(leaksIn(draft("All good.", "ECONNREFUSED on checkout"), ["ECONNREFUSED"])).toEqual(["ECONNREFUSED"]);
  });
});

describe("stripLeaks", () => {
  it("drops the sentences that leak and keeps the rest", () => {
    const stripped = stripLeaks(draft("Some customers cannot complete checkout. The database at 10.0.3.17 is overloaded. We will update this page soon."), [
      "10.0.3.17",
    ]);
    expect(stripped).toEqual(draft("Some customers cannot complete checkout. We will update this page soon."));
  });

  it("falls back to a generic title and message when nothing is left", () => {
    const stripped = stripLeaks(draft("redis-cache is down.", "redis-cache outage"), ["redis-cache"]);
    expect(stripped.title).toBe("Service disruption");
    expect(stripped.message).toMatch(/^We are investigating an issue/);
    expect(stripped.status).toBe("investigating");
  });
});
