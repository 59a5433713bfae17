import { securityScannerOutput } from "@bizbot/shared";
import { describe, expect, it } from "vitest";
import { byteLength } from "../../prompt.ts";
import { fake } from "../../secrets/fixtures/fake.ts";
import { applyReview, buildMaterial, MAX_LISTED, MAX_REVIEWED, type ModelReview, nothingFound } from "./review.ts";
import { scan } from "./scan.ts";

const stripe = `sk_live_${fake(1, 30)}`;
const TEXT = [
  `const stripe = require("stripe")("${stripe}");`,
  `el.innerHTML = params.get("q");`,
  `const rows = db.query("SELECT * FROM t WHERE id = " + id);`,
  `https.get(url, { rejectUnauthorized: false });`,
].join("\n");

const note = (id: string, extra: Partial<ModelReview["notes"][number]> = {}): ModelReview["notes"][number] => ({
  id,
  explanation: `Why ${id} matters.`,
  fix: `How to fix ${id}.`,
  likelyFalsePositive: false,
  falsePositiveReason: null,
  severity: null,
  ...extra,
});

describe("the model's material", () => {
  it("shows ids, masked evidence and masked lines, worst first", async () => {
    const result = await scan(TEXT, "app.js");
    const { text, reviewed } = buildMaterial(result, "app.js", 10_000);
    expect(reviewed).toEqual(result.findings);
    expect(text).not.toContain(stripe);
    expect(text.split("\n").slice(0, 4)).toEqual([
      "File: app.js, 4 lines.",
      "Findings: 4 (1 critical, 2 high, 1 medium). Shown: 4 of 4, most severe first.",
      "f1 critical secret stripe-live-key line 1:35",
      `  line: const stripe = require("stripe")("${stripe.slice(0, 4)}…");`,
    ]);
  });

  it("stays within its byte budget and shows at most 40 findings, however many there are", async () => {
    const many = Array.from({ length: 3000 }, (_, i) => `el${i}.innerHTML = input${i}; // ${"é".repeat(200)}`).join("\n");
    const result = await scan(many, "big.js");
    expect(result.findings).toHaveLength(3000);
    const wide = buildMaterial(result, "big.js", 1_000_000);
    expect(wide.reviewed).toHaveLength(MAX_REVIEWED);
    const narrow = buildMaterial(result, "big.js", 3000);
    expect(byteLength(narrow.text)).toBeLessThanOrEqual(3000);
    expect(narrow.reviewed.length).toBeGreaterThan(0);
    expect(narrow.text).toContain(`Shown: ${narrow.reviewed.length} of 3000, most severe first.`);
  });
});

describe("applying the model's review", () => {
  it("orders by the model's ranking, then severity, then line, and keeps default text where the model said nothing", async () => {
    const result = await scan(TEXT, "app.js");
    const { reviewed } = buildMaterial(result, "app.js", 10_000);
    const ids = new Map(reviewed.map((f, i) => [f.rule, `f${i + 1}`]));
    const review: ModelReview = {
      summary: "Rotate the Stripe key first.",
      ranking: [ids.get("sql-injection")!, ids.get("html-injection")!, ids.get("sql-injection")!],
      notes: [note(ids.get("sql-injection")!)],
    };
    const output = securityScannerOutput.parse(applyReview(result, reviewed, review));
    expect(output.findings.map((f) => f.rule)).toEqual(["sql-injection", "html-injection", "stripe-live-key", "tls-verification-disabled"]);
    expect(output.findings[0]!.explanation).toBe(`Why ${ids.get("sql-injection")} matters.`);
    const detector = result.findings.find((f) => f.rule === "stripe-live-key")!;
    expect(output.findings[2]).toMatchObject({ explanation: detector.explanation, fix: detector.fix, likelyFalsePositive: false });
    expect(output.summary).toBe("Rotate the Stripe key first.");
    expect(output.counts).toEqual({ critical: 1, high: 2, medium: 1, low: 0, info: 0 });
  });

  it("lets the model raise a severity and flag a false positive, never lower a severity or drop a finding", async () => {
    const result = await scan(TEXT, "app.js");
    const { reviewed } = buildMaterial(result, "app.js", 10_000);
    const id = (rule: string) => `f${reviewed.findIndex((f) => f.rule === rule) + 1}`;
    const review: ModelReview = {
      summary: "",
      ranking: [],
      notes: [
        note(id("stripe-live-key"), { severity: "low", likelyFalsePositive: true, falsePositiveReason: "Looks like a fixture." }),
        note(id("html-injection"), { severity: "critical" }),
      ],
    };
    const output = applyReview(result, reviewed, review);
    expect(output.findings).toHaveLength(result.findings.length);
    expect(output.findings.find((f) => f.rule === "stripe-live-key")).toMatchObject({
      severity: "critical",
      likelyFalsePositive: true,
      falsePositiveReason: "Looks like a fixture.",
    });
    expect(output.findings.find((f) => f.rule === "html-injection")!.severity).toBe("critical");
    expect(output.summary).toBe("The scan found 4 problems.");
  });

  it("masks a full secret if the model's text ever contains one", async () => {
    const result = await scan(TEXT, "app.js");
    const { reviewed } = buildMaterial(result, "app.js", 10_000);
    const review: ModelReview = { summary: `Rotate ${stripe} today.`, ranking: [], notes: [note("f1", { fix: `Delete ${stripe}.` })] };
    const output = applyReview(result, reviewed, review);
    expect(JSON.stringify(output)).not.toContain(stripe);
    expect(output.summary).toBe(`Rotate ${stripe.slice(0, 4)}… today.`);
  });

  it("lists at most 500 findings and counts them all", async () => {
    const many = Array.from({ length: 600 }, (_, i) => `el${i}.innerHTML = input${i};`).join("\n");
    const result = await scan(many, "big.js");
    const output = applyReview(result, [], { summary: "Many.", ranking: [], notes: [] });
    expect(output.findings).toHaveLength(MAX_LISTED);
    expect(output.counts.medium).toBe(600);
    expect(output.summary).toBe("Many. Only the first 500 of 600 findings are listed.");
  });

  it("says what was checked when nothing was found", async () => {
    const result = await scan('{ "dependencies": { "lodash": "4.17.21" } }', "package.json");
    expect(nothingFound(result, "package.json")).toEqual({
      findings: [],
      counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      summary:
        "No problems were found in package.json (1 line). Checked: secrets (API keys, tokens, private keys, passwords in URLs and assignments); security headers (no HTTP response found); dependencies of the package.json against a bundled list of known vulnerable versions; injection-prone code patterns.",
    });
  });
});
