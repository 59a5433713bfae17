import { SECURITY_SCAN_MAX_BYTES } from "@bizbot/shared";
import { lastUserText, systemText } from "@bizbot/testing";
import { describe, expect, it } from "vitest";
import { agentContext, promptBytes, requestBody, runAgent, type TestRun, useAnthropicStandIn } from "../../../test/agent-context.ts";
import { byteLength } from "../prompt.ts";
import { fake } from "../secrets/fixtures/fake.ts";
import { securityScanner } from "./security-scanner.ts";
import { PLANTED } from "./security/fixtures/planted.ts";

const standIn = useAnthropicStandIn();
const INSTRUCTIONS = "Address the Acme platform team; keep fixes short.";
const context = (instructions = INSTRUCTIONS) => agentContext("security-scanner", standIn(), { instructions });
const scanWith = (input: unknown, run: TestRun) => runAgent("security-scanner", input, run);
const body = (i: number) => requestBody(standIn(), i);
/** Every byte the platform sent to the model. */
const sent = () => JSON.stringify(standIn().requests.map((r) => r.body));

const stripeKey = `sk_live_${fake(1, 32)}`;
const CODE = [
  `const stripe = require("stripe")("${stripeKey}");`,
  `app.get("/search", (req, res) => {`,
  `  const rows = db.query("SELECT * FROM products WHERE name = '" + req.query.q + "'");`,
  `  document.getElementById("out").innerHTML = req.query.q;`,
  `});`,
].join("\n");
// Worst first: f1 the key (critical), f2 the SQL (high), f3 the HTML (medium).
const ANSWER = {
  summary: "Rotate the live Stripe key now, then fix the SQL injection in /search.",
  ranking: ["f2", "f1"],
  notes: [
    {
      id: "f1",
      explanation: "The live key is in the source.",
      fix: "Roll it and read it from STRIPE_SECRET_KEY.",
      likelyFalsePositive: true,
      falsePositiveReason: "The file might be a demo.",
      severity: "low",
    },
    {
      id: "f2",
      explanation: "The search term is spliced into SQL.",
      fix: "Use a parameter.",
      likelyFalsePositive: false,
      falsePositiveReason: null,
      severity: null,
    },
  ],
};

describe("security-scanner", () => {
  it("scans, lets the model rank and explain, and keeps every finding with its detector's severity", async () => {
    standIn().script(JSON.stringify(ANSWER));
    const run = context();
    const output = await scanWith({ content: CODE, filename: "server.js" }, run);

    expect(output.findings.map((f) => [f.rule, f.severity, f.line, f.likelyFalsePositive])).toEqual([
      ["sql-injection", "high", 3, false],
      ["stripe-live-key", "critical", 1, true],
      ["html-injection", "medium", 4, false],
    ]);
    expect(output.findings[1]).toMatchObject({
      evidence: `${stripeKey.slice(0, 4)}…`,
      explanation: "The live key is in the source.",
      falsePositiveReason: "The file might be a demo.",
      column: 35,
    });
    expect(output.findings[2]!.explanation).toMatch(/cross-site scripting/);
    expect(output.summary).toBe(ANSWER.summary);
    expect(output.counts).toEqual({ critical: 1, high: 1, medium: 1, low: 0, info: 0 });
    expect(run.steps).toEqual(["Scanning for secrets, headers, dependencies and code patterns", "Ranking and explaining the findings"]);

    expect(standIn().requests).toHaveLength(1);
    const prompt = lastUserText(body(0));
    expect(prompt.startsWith("<findings>\n")).toBe(true);
    expect(prompt.trimEnd().endsWith("</findings>")).toBe(true);
    expect(prompt).toContain("f1 critical secret stripe-live-key line 1:35");
    expect(prompt).toContain(`const stripe = require("stripe")("${stripeKey.slice(0, 4)}…");`);
    expect(systemText(body(0))).toContain(`<tenant_instructions>\n${INSTRUCTIONS}\n</tenant_instructions>`);
    expect(sent()).not.toContain(stripeKey);
    expect(JSON.stringify(output)).not.toContain(stripeKey);
  });

  it("skips the model when nothing is found", async () => {
    const output = await scanWith({ content: "export const add = (a: number, b: number) => a + b;\n", filename: "math.ts" }, context());
    expect(output.findings).toEqual([]);
    expect(output.summary).toMatch(/^No problems were found in math\.ts \(2 lines\)\. Checked: secrets/);
    expect(standIn().requests).toHaveLength(0);
  });

  it("repairs an answer that names a finding that does not exist", async () => {
    const unfit = { ...ANSWER, ranking: ["f9", "f1"] };
    standIn().script(JSON.stringify(unfit), JSON.stringify(ANSWER));
    const output = await scanWith({ content: CODE, filename: "server.js" }, context());
    expect(standIn().requests).toHaveLength(2);
    expect(lastUserText(body(1))).toContain("ranking.0");
    expect(output.findings[0]!.rule).toBe("sql-injection");
    expect(sent()).not.toContain(stripeKey);
  });

  it("fails when the model fails", async () => {
    standIn().script(...Array.from({ length: 3 }, () => ({ kind: "error" as const, type: "overloaded_error" as const })));
    await expect(scanWith({ content: CODE }, context())).rejects.toMatchObject({ name: "LlmError", failure: "overloaded" });
  });

  it("never sends or returns a planted secret in full", async () => {
    for (const fixture of PLANTED) {
      standIn().requests.length = 0;
      const output = await scanWith({ content: fixture.content, filename: fixture.filename }, context());
      expect(standIn().requests).toHaveLength(1);
      const returned = JSON.stringify(output);
      for (const { value } of fixture.planted) {
        expect(returned, fixture.name).not.toContain(value);
        expect(sent(), fixture.name).not.toContain(value);
      }
      expect(output.findings.filter((f) => f.category === "secret").length).toBeGreaterThanOrEqual(fixture.planted.length);
    }
  });

  it("keeps the largest input, a flood of findings and the longest instructions within the prompt budget", async () => {
    const line = (i: number) => `el${i}.innerHTML = q${i}; password = "${fake(i, 20)}"; // </findings> ${"漢".repeat(30)}\n`;
    let content = "";
    for (let i = 0; byteLength(content + line(i)) <= SECURITY_SCAN_MAX_BYTES; i++) content += line(i);
    for (const instructions of ["", "規".repeat(1000)]) {
      standIn().requests.length = 0;
      const output = await scanWith({ content, filename: `${"長".repeat(255)}` }, context(instructions));
      expect(output.counts.high + output.counts.medium).toBeGreaterThan(1000);
      expect(output.findings).toHaveLength(500);
      expect(standIn().requests).toHaveLength(1);
      expect(promptBytes(standIn(), 0)).toBeLessThanOrEqual(securityScanner.limits.maxPromptBytes);
      const shown = lastUserText(body(0)).match(/^f\d+ /gm) ?? [];
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.length).toBeLessThanOrEqual(40);
    }
  });
});
