import { describe, expect, it } from "vitest";
import { DEFAULT_RULES } from "./defaults.ts";
import { decide, routeTicket, scoreTeams, type Ticket } from "./route.ts";
import { tenantRules } from "./rules.fixture.ts";

/** Monday 2 June 2025, 11:00 in New York (EDT, UTC−4). */
const OPEN = "2025-06-02T15:00:00Z";
/** Monday 2 June 2025, 19:30 in New York. */
const EVENING = "2025-06-02T23:30:00Z";
/** Saturday 7 June 2025, noon in New York. */
const SATURDAY = "2025-06-07T16:00:00Z";

type Case = [name: string, ticket: Ticket & { receivedAt: string }, team: string, priority: string, withinBusinessHours: boolean];

const tickets: Case[] = [
  [
    "an invoice with the wrong amount",
    {
      subject: "Wrong amount on invoice",
      message: "Hi, our May invoice charges us for 12 users but we only have 10. Can you issue a corrected invoice?",
      receivedAt: OPEN,
    },
    "billing",
    "P3",
    true,
  ],
  ["a double charge", { message: "I was charged twice for my subscription this month, please refund one payment.", receivedAt: OPEN }, "billing", "P3", true],
  [
    "an urgent API outage in office hours",
    { subject: "URGENT: API returning 500", message: "Since 10:05 every call to the orders API fails with error 500. Our checkout is down.", receivedAt: OPEN },
    "platform",
    "P1",
    true,
  ],
  [
    "an urgent outage in the evening goes on call",
    { message: "Webhook deliveries fail with a timeout and our integration is down. Please look at this immediately.", receivedAt: EVENING },
    "on-call",
    "P1",
    false,
  ],
  [
    "a suspicious login",
    { message: "We noticed a suspicious login from an unknown country on an admin user. Could this be a breach?", receivedAt: OPEN },
    "security",
    "P3",
    true,
  ],
  ["an urgent hacked account", { message: "URGENT: our account was hacked, and someone changed the 2fa settings.", receivedAt: OPEN }, "security", "P2", true],
  [
    "a feature request nobody's keywords cover",
    { subject: "Feature request: dark mode", message: "Would be nice to have a dark mode in the dashboard.", receivedAt: OPEN },
    "frontline",
    "P4",
    true,
  ],
  ["a how-to question", { message: "How do I change the e-mail address on my profile?", receivedAt: OPEN }, "frontline", "P4", true],
  ["a quote for seats", { message: "Could you send a quote for the enterprise plan with 200 seats?", receivedAt: OPEN }, "sales", "P3", true],
  [
    "a VIP domain raises P3 to P2",
    { message: "Our webhook integration has intermittent latency spikes.", customerEmail: "alice@initech.io", receivedAt: OPEN },
    "platform",
    "P2",
    true,
  ],
  [
    "a VIP address raises P2 to P1",
    { message: "Please refund the duplicate payment asap.", customerEmail: "cfo@globex.com", receivedAt: OPEN },
    "billing",
    "P1",
    true,
  ],
  [
    "a VIP address in another case raises P4 to P3",
    { message: "Is it possible to get each invoice as a CSV file?", customerEmail: "CFO@Globex.COM", receivedAt: OPEN },
    "billing",
    "P3",
    true,
  ],
  [
    "a VIP's P1 on Saturday goes on call",
    { message: "Emergency: the API is down for all our users.", customerEmail: "bob@initech.io", receivedAt: SATURDAY },
    "on-call",
    "P1",
    false,
  ],
  ["a P3 on Saturday waits for its team", { message: "Please send me the receipt for order 4411.", receivedAt: SATURDAY }, "billing", "P3", false],
  ["a P4 in the evening waits for its team", { message: "Question: where can I find my invoice history?", receivedAt: EVENING }, "billing", "P4", false],
  [
    "an urgent data leak in the evening goes on call",
    { message: "Urgent: a customer reports a data leak through a shared export link.", receivedAt: EVENING },
    "on-call",
    "P2",
    false,
  ],
  ["a category outweighs a keyword", { message: "Something looks off with my account.", category: "billing", receivedAt: OPEN }, "billing", "P3", true],
  [
    "a category outweighs two keywords",
    { message: "I got a weird error and then a timeout after clicking a link in an e-mail.", category: "security", receivedAt: OPEN },
    "security",
    "P3",
    true,
  ],
  [
    "a category in another case",
    { message: "The dashboard charts look wrong since yesterday.", category: "Technical", receivedAt: OPEN },
    "platform",
    "P3",
    true,
  ],
  [
    "an unknown category and no keyword go to the default team",
    { message: "We'd like to discuss a co-marketing campaign.", category: "Partnerships", receivedAt: OPEN },
    "frontline",
    "P3",
    true,
  ],
  [
    "a repeated keyword counts once",
    { message: "Refund refund refund! The API error cost us money, I want a refund.", receivedAt: OPEN },
    "platform",
    "P3",
    true,
  ],
  ["a keyword inside a longer word does not count", { message: "The download of my invoice PDF takes forever.", receivedAt: OPEN }, "billing", "P3", true],
  ["a phrase keyword", { message: "The password reset e-mail never arrives.", receivedAt: OPEN }, "frontline", "P3", true],
  [
    "office hours in winter (EST, UTC−5)",
    { message: "Our VAT number is missing from the receipt.", receivedAt: "2025-01-15T14:30:00Z" },
    "billing",
    "P3",
    true,
  ],
  [
    "before opening in winter goes on call",
    { message: "URGENT: the API is down and customers cannot access their dashboards.", receivedAt: "2025-01-15T13:30:00Z" },
    "on-call",
    "P1",
    false,
  ],
  [
    "a minute before closing, given with an offset",
    { message: "Critical: webhook retries are failing for every customer.", receivedAt: "2025-06-03T16:59:00-04:00" },
    "platform",
    "P2",
    true,
  ],
  [
    "at closing time goes on call",
    { message: "ASAP please: the integration stopped syncing.", receivedAt: "2025-06-03T17:00:00-04:00" },
    "on-call",
    "P2",
    false,
  ],
  ["a keyword in the subject only", { subject: "Refund", message: "See the order below, thanks.", receivedAt: OPEN }, "billing", "P3", true],
  [
    "an outage word without an urgent one stays P3",
    { message: "The status page says the EU region is in outage; is there an ETA?", receivedAt: OPEN },
    "platform",
    "P3",
    true,
  ],
  ["an emergency with a breach", { message: "Emergency! Unauthorized access to our admin panel, possible breach.", receivedAt: OPEN }, "security", "P1", true],
];

describe("routing 30 tickets by one tenant's rules", () => {
  it("has 30 tickets", () => expect(tickets).toHaveLength(30));

  it.each(tickets)("%s", (_name, ticket, team, priority, withinBusinessHours) => {
    const routing = routeTicket(ticket, tenantRules, { builtIn: false, at: new Date(ticket.receivedAt) });
    expect(routing.tied).toEqual([]);
    const decision = decide(routing);
    expect({ team: decision.team, priority: decision.priority, withinBusinessHours: decision.withinBusinessHours }).toEqual({
      team,
      priority,
      withinBusinessHours,
    });
    expect(decision.decidedBy).toBe("rules");
    expect(decision.teamName).toBe(tenantRules.teams.find((t) => t.id === team)!.name);
  });
});

const at = new Date(OPEN);

describe("the decision's reason and matched rules", () => {
  it("names the keywords, the category and the runner-up", () => {
    const decision = decide(routeTicket({ message: "The API returns an error on every refund.", category: "billing" }, tenantRules, { builtIn: false, at }));
    expect(decision.team).toBe("billing");
    expect(decision.reason).toBe(
      'Billing: keyword "refund" and category "billing" matched (score 4; next Platform Engineering with 2). P3: no urgent word, and not a plain question or request.',
    );
    expect(decision.matched).toEqual([
      { rule: "keyword", detail: 'Billing: "refund"' },
      { rule: "category", detail: 'Billing: "billing"' },
      { rule: "keyword", detail: 'Platform Engineering: "api", "error"' },
    ]);
  });

  it("explains the urgency, the VIP and the after-hours team", () => {
    const decision = decide(
      routeTicket({ message: "Urgent: our API is down.", customerEmail: "ops@initech.io" }, tenantRules, { builtIn: false, at: new Date(EVENING) }),
    );
    expect(decision).toMatchObject({ team: "on-call", teamName: "On-call Engineers", priority: "P1", vip: true, withinBusinessHours: false });
    expect(decision.reason).toContain('P1: urgent word "urgent" with outage word "down".');
    expect(decision.reason).toContain("The customer is a VIP (@initech.io); P1 is already the highest.");
    expect(decision.reason).toContain(
      "Received outside business hours (Mon–Fri 09:00–17:00, America/New_York): a P1 ticket goes to the after-hours team On-call Engineers.",
    );
    expect(decision.reason).toContain("The rules pointed to Platform Engineering; the after-hours team takes it.");
    expect(decision.matched.map((m) => m.rule)).toEqual(["keyword", "urgent", "outage", "vip", "business hours", "after-hours team"]);
  });

  it("says when the default team took a ticket nothing matched", () => {
    const decision = decide(routeTicket({ message: "Hello there." }, tenantRules, { builtIn: false, at }));
    expect(decision.reason).toContain("No team's keywords or categories matched, so the default team Frontline Support.");
    expect(decision.matched).toEqual([{ rule: "default team", detail: "Frontline Support" }]);
  });

  it("keeps an urgent ticket with its team out of hours when there is no after-hours team", () => {
    const rules = { ...tenantRules, afterHoursTeam: null };
    const decision = decide(routeTicket({ message: "URGENT: the API is down." }, rules, { builtIn: false, at: new Date(SATURDAY) }));
    expect(decision).toMatchObject({ team: "platform", priority: "P1", withinBusinessHours: false });
  });

  it("counts every hour as business hours when the rules set none", () => {
    const rules = { ...tenantRules, businessHours: null };
    const decision = decide(routeTicket({ message: "URGENT: the API is down." }, rules, { builtIn: false, at: new Date(SATURDAY) }));
    expect(decision).toMatchObject({ team: "platform", withinBusinessHours: true });
  });

  it("uses the built-in urgent words when the rules list none", () => {
    const rules = { ...tenantRules, urgentKeywords: [] };
    expect(routeTicket({ message: "The API is down, fix it right away." }, rules, { builtIn: false, at }).priority).toBe("P1");
  });
});

describe("ties", () => {
  it("leaves the tied teams, in the rules' order, for the model", () => {
    const routing = routeTicket({ message: "The invoice page shows an error." }, tenantRules, { builtIn: false, at });
    expect(routing.team).toBeNull();
    expect(routing.tied.map((s) => s.team.id)).toEqual(["billing", "platform"]);
    expect(routing.matched).toContainEqual({ rule: "tie", detail: "Billing, Platform Engineering (score 1)" });
  });

  it("takes the model's choice among the tied teams", () => {
    const routing = routeTicket({ message: "The invoice page shows an error." }, tenantRules, { builtIn: false, at });
    const decision = decide(routing, { by: "model", team: "platform", reason: "The page fails to load." });
    expect(decision).toMatchObject({ team: "platform", decidedBy: "model" });
    expect(decision.reason).toContain("Billing and Platform Engineering tied with score 1; the model chose Platform Engineering: The page fails to load.");
  });

  it("falls back to the first tied team when the model's choice is not one of them", () => {
    const routing = routeTicket({ message: "The invoice page shows an error." }, tenantRules, { builtIn: false, at });
    for (const tieBreak of [{ by: "model" as const, team: "sales", reason: "x" }, { by: "rules" as const }]) {
      const decision = decide(routing, tieBreak);
      expect(decision).toMatchObject({ team: "billing", decidedBy: "rules" });
      expect(decision.reason).toContain("without a usable choice from the model, the first of them in the rules' order, Billing.");
    }
  });

  it("needs no tie-break when an urgent ticket goes to the after-hours team anyway", () => {
    const routing = routeTicket({ message: "ASAP: the invoice page shows an error." }, tenantRules, { builtIn: false, at: new Date(EVENING) });
    expect(routing.team?.id).toBe("on-call");
    expect(routing.tied).toEqual([]);
    expect(decide(routing).reason).toContain("The rules pointed to Billing or Platform Engineering; the after-hours team takes it.");
  });
});

describe("the built-in rules", () => {
  it.each([
    ["I was charged twice, please refund me.", "billing"],
    ["The API returns a 502 error and the sync is broken.", "technical"],
    ["I think my account was hacked through a phishing mail.", "security"],
    ["Hello, I have a general question.", "support"],
  ])("route %s to %s, and say the built-in rules decided", (message, team) => {
    const decision = decide(routeTicket({ message }, DEFAULT_RULES, { builtIn: true, at }));
    expect(decision.team).toBe(team);
    expect(decision.reason.startsWith("No escalation rules are configured, so the built-in rules decided.")).toBe(true);
    expect(decision.matched[0]).toEqual({ rule: "built-in rules", detail: "no escalation rules are configured" });
  });

  it("only name teams that exist", () => {
    const ids = DEFAULT_RULES.teams.map((t) => t.id);
    expect(ids).toContain(DEFAULT_RULES.defaultTeam);
  });
});

describe("scoreTeams", () => {
  it("counts distinct keywords whatever their case, in the rules' spelling, and a category as three", () => {
    const scores = scoreTeams("PAYMENT failed, payment failed again; see the Invoice", "Sales", tenantRules.teams);
    expect(scores.map((s) => [s.team.id, s.score, s.keywords])).toEqual([
      ["sales", 3, []],
      ["billing", 2, ["invoice", "payment"]],
    ]);
  });
});
