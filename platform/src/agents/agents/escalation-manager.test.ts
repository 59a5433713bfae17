import { lastUserText, systemText } from "@bizbot/testing";
import { describe, expect, it } from "vitest";
import { agentContext, promptBytes, requestBody, runAgent, useAnthropicStandIn } from "../../../test/agent-context.ts";
import { escalationManager } from "./escalation-manager.ts";
import { tenantRules } from "./escalation/rules.fixture.ts";

const standIn = useAnthropicStandIn();
const INSTRUCTIONS = "Prefer the Billing team when money is mentioned at all.";
const context = (options: { instructions?: string; rules?: typeof tenantRules | null } = {}) =>
  agentContext("escalation-manager", standIn(), {
    instructions: options.instructions ?? INSTRUCTIONS,
    settings: { escalationRules: options.rules === undefined ? tenantRules : options.rules },
  });
const route = (input: unknown, run = context()) => runAgent("escalation-manager", input, run);
const body = (i: number) => requestBody(standIn(), i);

/** Monday 2 June 2025, 11:00 in New York. */
const OPEN = "2025-06-02T15:00:00Z";
/** Billing ("invoice") and Platform Engineering ("error") score one each. */
const TIED = {
  subject: "Invoice page",
  message: "The invoice page shows an error since this morning. My api_key=9f8e7d6c5b4a3f2e1d0c is in the screenshot.",
  customerEmail: "jane@example.com",
  receivedAt: OPEN,
};

describe("escalation-manager", () => {
  it("routes by the rules alone, at no model cost, when one team scores best", async () => {
    const run = context();
    const out = await route({ message: "I was charged twice for my subscription, please refund one payment.", receivedAt: OPEN }, run);
    expect(out).toMatchObject({ team: "billing", teamName: "Billing", priority: "P3", decidedBy: "rules", vip: false, withinBusinessHours: true });
    expect(out.reason).toContain('Billing: keywords "refund", "charged", "payment", "subscription" matched (score 4).');
    expect(standIn().requests).toHaveLength(0);
    expect(run.model.calls).toBe(0);
    expect(run.steps).toEqual(["Applying the routing rules"]);
  });

  it("uses the built-in rules when the tenant has none, and says so", async () => {
    const out = await route({ message: "Our API integration is broken since the update." }, context({ rules: null }));
    expect(out).toMatchObject({ team: "technical", teamName: "Technical Support", decidedBy: "rules", withinBusinessHours: true });
    expect(out.reason).toMatch(/^No escalation rules are configured, so the built-in rules decided\./);
    expect(out.matched[0]).toEqual({ rule: "built-in rules", detail: "no escalation rules are configured" });
    expect(standIn().requests).toHaveLength(0);
  });

  it("asks the model to choose among only the tied teams", async () => {
    standIn().script(JSON.stringify({ team: "platform", reason: "A page that errors is a technical fault." }));
    const run = context();
    const out = await route(TIED, run);

    expect(out).toMatchObject({ team: "platform", teamName: "Platform Engineering", priority: "P3", decidedBy: "model" });
    expect(out.reason).toContain(
      "Billing and Platform Engineering tied with score 1; the model chose Platform Engineering: A page that errors is a technical fault.",
    );
    expect(out.matched).toContainEqual({ rule: "tie", detail: "Billing, Platform Engineering (score 1)" });
    expect(run.steps).toEqual(["Applying the routing rules", "Breaking a tie between teams"]);

    expect(standIn().requests).toHaveLength(1);
    const prompt = lastUserText(body(0));
    expect(prompt).toMatch(/^<findings>\nbilling \| Billing \| matched: "invoice" \| its keywords: invoice, refund/);
    expect(prompt).toContain('\nplatform | Platform Engineering | matched: "error" | its keywords: api, error');
    expect(prompt).not.toContain("security");
    expect(prompt).toContain("<input>\nSubject: Invoice page\nMessage:\nThe invoice page shows an error since this morning.");
    expect(prompt).not.toContain("9f8e7d6c5b4a3f2e1d0c");
    expect(systemText(body(0))).toContain(`<tenant_instructions>\n${INSTRUCTIONS}\n</tenant_instructions>`);
    const schema = JSON.stringify(body(0).output_config?.format?.schema);
    expect(schema).toContain('"enum":["billing","platform"]');
    expect(promptBytes(standIn(), 0)).toBeLessThanOrEqual(escalationManager.limits.maxPromptBytes);
  });

  it("repairs an answer that names a team outside the tie", async () => {
    standIn().script(
      JSON.stringify({ team: "security", reason: "Screenshots may leak data." }),
      JSON.stringify({ team: "billing", reason: "It is about an invoice." }),
    );
    const out = await route(TIED);

    expect(out).toMatchObject({ team: "billing", decidedBy: "model" });
    expect(out.reason).toContain("the model chose Billing: It is about an invoice.");
    expect(standIn().requests).toHaveLength(2);
    expect(lastUserText(body(1))).toMatch(/<problems>\nteam: /);
  });

  it("takes the first tied team in the rules' order when the repaired answer is still outside the tie", async () => {
    standIn().script(JSON.stringify({ team: "security", reason: "x" }), JSON.stringify({ team: "sales", reason: "y" }));
    const out = await route(TIED);

    expect(out).toMatchObject({ team: "billing", decidedBy: "rules" });
    expect(out.reason).toContain("without a usable choice from the model, the first of them in the rules' order, Billing.");
    expect(standIn().requests).toHaveLength(2);
  });

  it("sends an urgent tie out of hours to the after-hours team without asking the model", async () => {
    const out = await route({ ...TIED, message: `ASAP: ${TIED.message}`, receivedAt: "2025-06-07T16:00:00Z" });
    expect(out).toMatchObject({ team: "on-call", priority: "P2", decidedBy: "rules", withinBusinessHours: false });
    expect(standIn().requests).toHaveLength(0);
  });

  it("fails the run when the model fails", async () => {
    for (let i = 0; i < 3; i++) standIn().script({ kind: "error", type: "overloaded_error" });
    await expect(route(TIED)).rejects.toThrow();
  });

  it("stays in its prompt budget with the largest ticket and long instructions", async () => {
    standIn().script(JSON.stringify({ team: "billing", reason: "Invoices." }));
    const input = {
      subject: `Invoice error ${"請求書".repeat(80)}`.slice(0, 200),
      message: `Invoice error. ${"請求書のページでエラーが表示されます。".repeat(500)}`.slice(0, 8000),
      customerEmail: `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.com`,
      category: "カテゴリ".repeat(20),
      receivedAt: OPEN,
    };
    const instructions = "Route by the product area the customer names first. ".repeat(80).slice(0, 4000);
    const out = await route(input, context({ instructions }));

    expect(out.team).toBe("billing");
    expect(promptBytes(standIn(), 0)).toBeLessThanOrEqual(escalationManager.limits.maxPromptBytes);
  });
});
