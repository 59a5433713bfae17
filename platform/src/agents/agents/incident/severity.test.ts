import { describe, expect, it } from "vitest";
import type { LogSignals } from "./logs.ts";
import { assessSeverity, type Severity } from "./severity.ts";

const quiet: LogSignals = { errorLines: 0, firstSeen: null, lastSeen: null, topErrors: [], responses: 0, serverErrors: 0, timeouts: 0 };
const assess = (description: string, affectedUsers?: number, signals: Partial<LogSignals> = {}) =>
  assessSeverity({ description, affectedUsers, signals: { ...quiet, ...signals } });

describe("assessSeverity: the table", () => {
  it.each<[string, string, number | undefined, Partial<LogSignals>, Severity, string]>([
    // SEV1
    ["full outage", "The website is down for everyone since 12:00.", undefined, {}, "SEV1", "full outage"],
    ["full outage", "Production went completely offline after the deploy.", undefined, {}, "SEV1", "full outage"],
    ["full outage", "Nobody can reach the dashboard.", undefined, {}, "SEV1", "full outage"],
    ["full outage", "All requests are failing with 503.", undefined, {}, "SEV1", "full outage"],
    ["data loss", "A migration dropped the orders table; we have data loss for today's orders.", undefined, {}, "SEV1", "data loss"],
    ["security breach", "We found unauthorized access to the admin account and customer data was exposed.", undefined, {}, "SEV1", "security breach"],
    ["payments down", "Customers cannot pay: checkout fails at the card step.", undefined, {}, "SEV1", "payments down"],
    ["1,000 users with errors (logs)", "Users report a problem with the feed.", 1500, { errorLines: 3 }, "SEV1", "1,000+ users with errors"],
    ["1,000 users with errors (description)", "The feed shows an error.", 1000, {}, "SEV1", "1,000+ users with errors"],
    // SEV2
    ["5xx rate in the logs", "The API misbehaves.", undefined, { responses: 200, serverErrors: 30 }, "SEV2", "5xx rate"],
    ["5xx in the description", "Since 9:40 the gateway is returning 502s to some clients.", undefined, {}, "SEV2", "5xx rate"],
    ["timeouts in the logs", "Something is off with the workers.", undefined, { timeouts: 12 }, "SEV2", "timeouts"],
    ["timeouts in the description", "Requests to the reports service are timing out.", undefined, {}, "SEV2", "timeouts"],
    ["major degradation", "We see severe latency on every page.", undefined, {}, "SEV2", "major degradation"],
    ["elevated error rate", "Elevated error rates on the mobile app since the release.", undefined, {}, "SEV2", "major degradation"],
    ["core feature broken", "Login is broken after the SSO certificate rotation.", undefined, {}, "SEV2", "core feature broken"],
    ["core feature broken", "Search doesn't work.", undefined, {}, "SEV2", "core feature broken"],
    ["100 users", "Users see a wrong avatar.", 250, {}, "SEV2", "100+ users affected"],
    // SEV3
    ["partial", "Intermittent failures when saving drafts.", undefined, {}, "SEV3", "partial or minor impact"],
    ["partial outage", "A partial outage of image previews.", undefined, {}, "SEV3", "partial or minor impact"],
    ["workaround", "Uploading a profile photo needs a retry; users can still finish by refreshing.", undefined, {}, "SEV3", "workaround exists"],
    ["non-core feature", "The CSV export is broken.", undefined, {}, "SEV3", "non-core feature broken"],
    ["a few users", "One user noticed a wrong label.", 3, {}, "SEV3", "some users affected"],
    // SEV4
    ["nothing", "A question about the colour of a button in the footer.", undefined, {}, "SEV4", "no SEV1–SEV3 rule matched"],
  ])("%s: %s", (_, description, users, signals, severity, rule) => {
    const { severity: got, reasons } = assess(description, users, signals);
    expect(got).toBe(severity);
    expect(reasons.some((r) => r.startsWith(`${severity} (${rule})`))).toBe(true);
  });
});

describe("assessSeverity: how rules combine", () => {
  it("takes the highest severity and lists every rule that fired", () => {
    const { severity, reasons } = assess("Checkout is down and login is slow for some users.", 150, { responses: 100, serverErrors: 40 });
    expect(severity).toBe("SEV1");
    expect(reasons.map((r) => r.slice(0, r.indexOf(":")))).toEqual([
      "SEV1 (payments down)",
      "SEV2 (5xx rate)",
      "SEV2 (core feature broken)",
      "SEV2 (100+ users affected)",
      "SEV3 (partial or minor impact)",
    ]);
  });

  it("quotes what it read and counts what it counted", () => {
    expect(assess("The website is down.").reasons[0]).toBe('SEV1 (full outage): the description says "website is down".');
    expect(assess("x", undefined, { responses: 200, serverErrors: 30 }).reasons[0]).toBe("SEV2 (5xx rate): the logs show 30 HTTP 5xx responses, 15% of 200.");
    expect(assess("x", 1234, { errorLines: 1 }).reasons[0]).toBe("SEV1 (1,000+ users with errors): 1,234 users are affected and errors are reported.");
  });

  it("does not read negated phrases", () => {
    expect(assess("No data loss, the site is not down, and we see no sign of a breach.").severity).toBe("SEV4");
    expect(assess("Payments are not affected; checkout has no errors.").severity).toBe("SEV4");
  });

  it("does not count 1,000 users without any error", () => {
    expect(assess("Users were asked to update the app.", 5000).severity).toBe("SEV2");
  });

  it("needs a 5xx rate, not a stray 5xx, and enough timeouts", () => {
    expect(assess("x", undefined, { responses: 1000, serverErrors: 4 }).severity).toBe("SEV4");
    expect(assess("x", undefined, { responses: 1000, serverErrors: 40 }).severity).toBe("SEV4");
    expect(assess("x", undefined, { responses: 100, serverErrors: 5 }).severity).toBe("SEV2");
    expect(assess("x", undefined, { timeouts: 4 }).severity).toBe("SEV4");
    expect(assess("500 users saw it", undefined).reasons.some((r) => r.includes("5xx"))).toBe(false);
  });

  it("gives one reason even at SEV4", () => {
    expect(assess("Routine question.").reasons).toHaveLength(1);
  });
});
