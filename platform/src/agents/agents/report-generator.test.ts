import { lastUserText, systemText } from "@bizbot/testing";
import { describe, expect, it } from "vitest";
import { agentContext, promptBytes, requestBody, runAgent, type TestRun, useAnthropicStandIn } from "../../../test/agent-context.ts";
import { byteLength } from "../prompt.ts";
import { reportGenerator } from "./report-generator.ts";

const standIn = useAnthropicStandIn();
const INSTRUCTIONS = "Write in British English; our customers are members.";
const context = (instructions = INSTRUCTIONS) => agentContext("report-generator", standIn(), { instructions });
const report = (input: unknown, run: TestRun) => runAgent("report-generator", input, run);
const body = (i: number) => requestBody(standIn(), i);

const NOTES = "Q3 sales by region. North grew after the new partner deal. Deploy key for the dashboard: ghp_abcdefghijklmnopqrstuvwxyz0123456789.";
const DATA = "month,region,revenue\n2024-07-01,North,120\n2024-07-01,South,80\n2024-08-01,North,150\n2024-08-01,South,70\n2024-09-01,North,160\n";
const MARKDOWN = [
  "## Executive summary",
  "",
  "Revenue reached 580 over the quarter; North brought 430 of it. Keep investing in the partner deal.",
  "",
  "## Findings",
  "",
  "North grew every month (Chart: revenue by region).",
];
/** The report as the model streams it, a piece at a time. */
const pieces = MARKDOWN.join("\n").match(/[\s\S]{1,12}/g)!;

describe("report-generator", () => {
  it("computes figures and charts with code, and streams the model's report to the run's output", async () => {
    standIn().script({ kind: "text", text: pieces });
    const run = context();
    const output = await report({ title: "Q3 sales", notes: NOTES, data: DATA, audience: "executive" }, run);

    expect(output.title).toBe("Q3 sales");
    expect(output.markdown).toBe(MARKDOWN.join("\n"));
    expect(output.executiveSummary).toBe("Revenue reached 580 over the quarter; North brought 430 of it. Keep investing in the partner deal.");
    expect(run.output).toEqual(pieces);
    expect(run.steps).toEqual(["Reading the data", "Writing the report"]);
    expect(output.stats).toEqual([
      { field: "month", type: "date", count: 5, min: null, max: null, mean: null, sum: null, top: expect.any(Array) },
      {
        field: "region",
        type: "string",
        count: 5,
        min: null,
        max: null,
        mean: null,
        sum: null,
        top: [
          { value: "North", count: 3 },
          { value: "South", count: 2 },
        ],
      },
      { field: "revenue", type: "integer", count: 5, min: 70, max: 160, mean: 116, sum: 580, top: [] },
    ]);
    expect(output.charts.map((c) => [c.type, c.x, c.y])).toEqual([
      ["line", "month", "revenue"],
      ["bar", "region", "revenue"],
      ["pie", "region", "revenue"],
    ]);

    expect(standIn().requests).toHaveLength(1);
    const prompt = lastUserText(body(0));
    expect(prompt).toMatch(/^<input>\nTitle: Q3 sales\nAudience: executives: lead with impact.*\nNotes:\nQ3 sales by region\. North grew/);
    expect(prompt).toContain("Deploy key for the dashboard: ghp_….");
    expect(prompt).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
    expect(prompt).toContain('<material>\nCSV data: 5 rows, 3 fields.\nSuggested charts:\n- line "revenue over month" (x: month, y: revenue)');
    expect(prompt).toContain('- "revenue" (integer): 5 values; min 70, max 160, mean 116, sum 580');
    expect(prompt).toContain('- "region" (string): 5 values; most frequent: "North" 3, "South" 2');
    expect(systemText(body(0))).toContain("<tenant_instructions>\nWrite in British English");
    expect(systemText(body(0))).toContain('First "## Executive summary"');
  });

  it("takes the title from the report's heading, and the summary from its first paragraph when it has no summary section", async () => {
    standIn().script({ kind: "text", text: "# Support backlog\n\nThe backlog halved in March.\n\n## Next steps\n\nHire one more agent." });
    const run = context("");
    const output = await report({ notes: "The support backlog went from 400 to 200 tickets in March." }, run);
    expect(output).toMatchObject({ title: "Support backlog", executiveSummary: "The backlog halved in March.", charts: [], stats: [] });
    expect(run.steps).toEqual(["Writing the report"]);
    const prompt = lastUserText(body(0));
    expect(prompt).toContain("Title: (none given)\nAudience: (not named: write for a general business reader)");
    expect(prompt).toContain("<material>\nNo data was given.\n</material>");
  });

  it("reads JSON data, and names the report by default when the model gives it no title", async () => {
    standIn().script({ kind: "text", text: "## Executive summary\nTwo teams, both on plan." });
    const data = JSON.stringify({
      items: [
        { team: "A", score: 3 },
        { team: "B", score: 4 },
      ],
    });
    const output = await report({ notes: "Team scores.", data }, context());
    expect(output.title).toBe("Report");
    expect(output.stats.map((s) => [s.field, s.type, s.sum])).toEqual([
      ["team", "string", null],
      ["score", "integer", 7],
    ]);
    expect(lastUserText(body(0))).toContain("JSON data: 2 rows, 2 fields.");
  });

  it("fails when the model fails", async () => {
    standIn().script(...Array.from({ length: 3 }, () => ({ kind: "error" as const, type: "overloaded_error" as const })));
    await expect(report({ notes: NOTES }, context())).rejects.toMatchObject({ name: "LlmError", failure: "overloaded" });
  });

  it("fails when the model fails mid-report, what it wrote already passed on", async () => {
    standIn().script({ kind: "stream_error", text: ["## Executive", " summary\n"], type: "overloaded_error" });
    const run = context();
    await expect(report({ notes: NOTES }, run)).rejects.toMatchObject({ name: "LlmError" });
    expect(run.output.join("")).toBe("## Executive summary\n");
  });

  it("fails, uncharged, when the model writes nothing", async () => {
    standIn().script({ kind: "text", text: "  \n" });
    await expect(report({ notes: NOTES }, context())).rejects.toMatchObject({
      reason: "unavailable",
      message: "The model wrote no report; the run was not charged",
    });
  });

  it("fails as invalid input, saying where, before any model call", async () => {
    await expect(report({ notes: NOTES, data: '[{"a": 1},\n {"a": }]' }, context())).rejects.toMatchObject({
      reason: "invalid_input",
      message: "JSON line 2, column 8: Unexpected token '}'",
    });
    expect(standIn().requests).toHaveLength(0);
  });

  it("keeps the largest input, and the longest tenant instructions, within the prompt budget", async () => {
    // 500 KB of CSV, 300 fields wide, so that the figures alone outgrow their share.
    const fields = Array.from({ length: 300 }, (_, i) => `category_${i}_${"ä".repeat(10)}`);
    const lines = [fields.join(",")];
    for (let r = 0, bytes = byteLength(lines[0]!); ; r++) {
      const line = fields.map((_, i) => `${"ö".repeat(8)}${(r + i) % 4}`).join(",");
      if (bytes + byteLength(line) + 1 > 500 * 1024) break;
      lines.push(line);
      bytes += byteLength(line) + 1;
    }
    const data = lines.join("\n");
    const cases = [
      // Three-byte characters make the 20,000-character notes 60 KB.
      { notes: "€".repeat(20_000), instructions: "" },
      { notes: "€".repeat(20_000), instructions: "€".repeat(4000) },
      { notes: "The quarter in figures. ".repeat(1000).slice(0, 20_000), instructions: "Ünïcödé instructions. ".repeat(200).slice(0, 4000) },
    ];
    for (const { notes, instructions } of cases) {
      standIn().requests.length = 0;
      standIn().script({ kind: "text", text: "## Executive summary\nAll categories are even." });
      const output = await report({ title: "T".repeat(200), notes, data, audience: "technical" }, context(instructions));
      expect(output.stats).toHaveLength(300);
      expect(promptBytes(standIn(), 0)).toBeLessThanOrEqual(reportGenerator.limits.maxPromptBytes);
      const prompt = lastUserText(body(0));
      expect(prompt).toContain("[… cut: the rest is not shown]");
      expect(prompt).toMatch(/\[… \d+ more fields not shown\]\n<\/material>$/);
    }
    // With notes in one-byte characters, the clipped material fills the budget rather than leaving it unused.
    expect(promptBytes(standIn(), 0)).toBeGreaterThan(reportGenerator.limits.maxPromptBytes * 0.9);
  });
});
