import { lastUserText, systemText } from "@bizbot/testing";
import { describe, expect, it } from "vitest";
import { agentContext, promptBytes, requestBody, runAgent, type TestRun, useAnthropicStandIn } from "../../../test/agent-context.ts";
import { byteLength } from "../prompt.ts";
import { dataProcessor } from "./data-processor.ts";

const standIn = useAnthropicStandIn();
const INSTRUCTIONS = "Our field names are snake_case; call customers members.";
const context = (instructions = INSTRUCTIONS) => agentContext("data-processor", standIn(), { instructions });
const processData = (input: unknown, run: TestRun) => runAgent("data-processor", input, run);
const body = (i: number) => requestBody(standIn(), i);

const CSV = [
  "Member Name,joined,Amt,email,password",
  ' Ada Lovelace ,05/03/2024,"1,234.50",Ada@Example.COM,correct-horse-battery-staple',
  "Bob Stone,25/12/2023,12,bob@example.org,hunter2hunter2",
  'Ada Lovelace,05/03/2024,"1,234.50",ada@example.com,correct-horse-battery-staple',
].join("\r\n");

const review = {
  notes: ["The password field holds passwords in clear text."],
  mappings: [
    { from: "Member Name", to: "member_name", reason: "snake_case like the other fields" },
    { from: "Amt", to: "amount", reason: "Spelled out" },
  ],
};

describe("data-processor", () => {
  it("converts and cleans with code, and asks the model once to review the schema and a few rows", async () => {
    standIn().script(JSON.stringify(review));
    const run = context();
    const output = await processData({ data: CSV, from: "csv", to: "json" }, run);

    expect(JSON.parse(output.output)).toEqual([
      { "Member Name": "Ada Lovelace", joined: "2024-03-05", Amt: 1234.5, email: "ada@example.com", password: "correct-horse-battery-staple" },
      { "Member Name": "Bob Stone", joined: "2023-12-25", Amt: 12, email: "bob@example.org", password: "hunter2hunter2" },
    ]);
    expect(output).toMatchObject({ format: "json", rows: 2, changeCount: 8, review });
    expect(output.fields).toEqual([
      { name: "Member Name", type: "string", nullable: false, examples: ["Ada Lovelace", "Bob Stone"] },
      { name: "joined", type: "date", nullable: false, examples: ["2024-03-05", "2023-12-25"] },
      { name: "Amt", type: "number", nullable: false, examples: ["1234.50", "12"] },
      { name: "email", type: "email", nullable: false, examples: ["ada@example.com", "bob@example.org"] },
      { name: "password", type: "string", nullable: false, examples: ["corr…", "hunt…"] },
    ]);
    expect(output.changes.map((c) => `${c.row} ${c.field} ${c.rule}`)).toEqual([
      "1 Member Name trim",
      "1 joined date",
      "1 Amt number",
      "1 email email",
      "2 joined date",
      "3 joined date",
      "3 Amt number",
      "3  duplicate",
    ]);
    expect(run.steps).toEqual(["Reading the data", "Reviewing the fields"]);

    expect(standIn().requests).toHaveLength(1);
    const prompt = lastUserText(body(0));
    expect(prompt).toMatch(/^<material>\nCSV to JSON: 2 rows, 5 fields; cleaning made 8 changes\.\n\nFields:\n- "Member Name": string; e\.g\. "Ada Lovelace"/);
    expect(prompt).toContain('- "Amt": number; e.g. "1234.50", "12"');
    expect(prompt).toContain('First rows:\n{"Member Name":"Ada Lovelace","joined":"2024-03-05","Amt":1234.5,"email":"ada@example.com","password":"corr…"}');
    expect(prompt).not.toMatch(/hunter2|correct-horse/);
    expect(prompt.endsWith("</material>")).toBe(true);
    expect(systemText(body(0))).toContain("<tenant_instructions>\nOur field names are snake_case");
    expect(systemText(body(0))).toContain("You review a table that BizBot's code has already converted");
  });

  it("gives each field's exact strings with neither option, and still asks for a review", async () => {
    standIn().script(JSON.stringify({ notes: [], mappings: [] }));
    const csv = 'a,b\r\n" x ","1,5"\r\n" x ","1,5"\r\n';
    const output = await processData({ data: csv, from: "csv", to: "json", options: { inferTypes: false, clean: false } }, context());
    expect(JSON.parse(output.output)).toEqual([
      { a: " x ", b: "1,5" },
      { a: " x ", b: "1,5" },
    ]);
    expect(output).toMatchObject({ rows: 2, changes: [], changeCount: 0, review: { notes: [], mappings: [] } });
    expect(lastUserText(body(0))).toContain("CSV to JSON: 2 rows, 2 fields; not cleaned.");
  });

  it("notes XML elements beside the rows that were left out", async () => {
    standIn().script(JSON.stringify({ notes: ["Looks fine."], mappings: [] }));
    const xml = "<export><generated>today</generated><row><a>1</a></row><row><a>2</a></row></export>";
    const output = await processData({ data: xml, from: "xml", to: "csv" }, context());
    expect(output.output).toBe("a\r\n1\r\n2\r\n");
    expect(output.review.notes).toEqual(["XML: the root's <generated> elements are not rows and were left out.", "Looks fine."]);
  });

  it("repairs a review that maps a field the table does not have", async () => {
    const unfit = { ...review, mappings: [{ from: "Amount", to: "amount", reason: "Spelled out" }] };
    standIn().script(JSON.stringify(unfit), JSON.stringify(review));
    const output = await processData({ data: CSV, from: "csv", to: "xml" }, context());
    expect(output.review).toEqual(review);
    expect(output.output).toContain("<Member_Name>Ada Lovelace</Member_Name>");
    expect(standIn().requests).toHaveLength(2);
    expect(lastUserText(body(1))).toContain("mappings.0.from: is not one of the table's fields");
  });

  it("fails when the model fails", async () => {
    standIn().script(...Array.from({ length: 3 }, () => ({ kind: "error" as const, type: "overloaded_error" as const })));
    await expect(processData({ data: CSV, from: "csv", to: "json" }, context())).rejects.toMatchObject({
      name: "LlmError",
      failure: "overloaded",
    });
  });

  it("fails as invalid input, saying where, before any model call", async () => {
    await expect(processData({ data: 'a,b\n1,2\n3,"4\n', from: "csv", to: "json" }, context())).rejects.toMatchObject({
      name: "DomainError",
      reason: "invalid_input",
      message: "CSV line 3: a quoted field that starts in this record is never closed",
    });
    await expect(processData({ data: "<rows><row></rows>", from: "xml", to: "json" }, context())).rejects.toMatchObject({
      reason: "invalid_input",
      message: expect.stringMatching(/^XML line 1, column \d+: /),
    });
    expect(standIn().requests).toHaveLength(0);
  });

  it("keeps the largest input, and the longest tenant instructions, within the prompt budget", async () => {
    // 1 MB of CSV, 400 fields wide, every value long and multi-byte.
    const fields = Array.from({ length: 400 }, (_, i) => `field_${i}_${"ü".repeat(20)}`);
    const lines = [fields.join(",")];
    for (let r = 0, bytes = byteLength(lines[0]!); ; r++) {
      const line = fields.map((_, i) => `${"é".repeat(20)}${r}-${i}`).join(",");
      if (bytes + byteLength(line) + 1 > 1024 * 1024) break;
      lines.push(line);
      bytes += byteLength(line) + 1;
    }
    const data = lines.join("\n");
    expect(byteLength(data)).toBeLessThanOrEqual(1024 * 1024);
    // The longest instructions are 4,000 characters; in three-byte characters, 12 KB of the budget.
    for (const instructions of ["", "Ünïcödé instructions. ".repeat(200).slice(0, 4000), "€".repeat(4000)]) {
      standIn().requests.length = 0;
      standIn().script(JSON.stringify({ notes: ["Every value carries its row and column number."], mappings: [] }));
      const output = await processData({ data, from: "csv", to: "xml" }, context(instructions));
      expect(output.rows).toBe(lines.length - 1);
      expect(promptBytes(standIn(), 0)).toBeLessThanOrEqual(dataProcessor.limits.maxPromptBytes);
      // The clipped material fills the budget rather than leaving it unused.
      expect(promptBytes(standIn(), 0)).toBeGreaterThan(dataProcessor.limits.maxPromptBytes * 0.9);
      expect(lastUserText(body(0))).toContain("more fields not shown]");
      expect(lastUserText(body(0))).toMatch(/"…":"\d+ more fields not shown"}\n/);
    }
  });
});
