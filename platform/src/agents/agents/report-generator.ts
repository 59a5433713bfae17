import { DomainError } from "../../errors.ts";
import { defineAgent } from "../definition.ts";
import { byteLength, fenced, fencedWithin } from "../prompt.ts";
import { linesWithin } from "./data/budget.ts";
import { type ChartSuggestion, suggestCharts } from "./data/charts.ts";
import { detectFormat, readTable } from "./data/formats.ts";
import { executiveSummary, firstTitle } from "./data/markdown.ts";
import { inferSchema } from "./data/schema.ts";
import { maskSecrets } from "../secrets/mask.ts";
import { isSecretName } from "../secrets/secret-rules.ts";
import { maskSecret } from "../secrets/text.ts";
import { type FieldProfile, type FieldStats, fieldStats } from "./data/stats.ts";

const JOB = `You write a business report in markdown. Inside <input> are the author's title (if any), audience and notes: what the report is about, the findings, what the reader should decide. Inside <material>, when data was given, are figures that code computed from it (per field: how many values, min, max, mean and sum, or the most frequent values) and the charts its fields support.

Write:
- First "## Executive summary": three to five sentences a busy reader can act on: the main finding, the figures behind it, and what to decide or do. Only when no title is given, put one line "# <a fitting title>" before it.
- Then "##" sections that fit the material, such as findings, what the data shows, risks, recommendations, next steps. Mention a suggested chart where it helps the reader (for example "Chart: revenue by region"); do not draw it.
- Use only the figures given, as they are; compare them, but do not invent others. Say so when the notes and data do not answer a question.
- Plain, specific sentences for the audience named; no filler. Markdown only: no preamble, no closing remarks.`;

const AUDIENCES = {
  executive: "executives: lead with impact, money and decisions; little jargon",
  technical: "engineers and analysts: precise, with methods, caveats and the figures in full",
  customer: "a customer: courteous and clear, no internal details",
  internal: "the team: direct and practical, owners and next steps",
} as const;

// Worst case of its one call: 28,000 × $2.50/M + 2,500 × $10/M = $0.095, under the $0.10 cap. No repair: the answer is text.
const LIMITS = { calls: 1, maxPromptBytes: 28_000, maxOutputTokens: 2_500 };
/** The most of the prompt's room the data's figures take; the notes have the rest. */
const DATA_SHARE = 0.4;
const DEFAULT_TITLE = "Report";

/**
 * A markdown report from notes and, optionally, data. Code reads the data (CSV or JSON, told apart by its first
 * character) with the data processor's core, computes each field's figures and the charts its types support; the
 * model writes the report in one streamed call, each piece passed on as run output, opening with an executive
 * summary that is then read back from the markdown.
 */
export const reportGenerator = defineAgent({
  id: "report-generator",
  limits: LIMITS,
  cache: "input",
  async run(input, ctx) {
    const room = ctx.model.room(JOB);
    let profiles: FieldProfile[] = [];
    let charts: ChartSuggestion[] = [];
    let data = "No data was given.";
    if (input.data) {
      ctx.step("Reading the data");
      const format = detectFormat(input.data);
      const table = readTable(input.data, format);
      profiles = await withoutSecrets(fieldStats(table, inferSchema(table)));
      charts = suggestCharts(profiles);
      data = describeData(format, table.rows.length, profiles, charts, Math.floor(room * DATA_SHARE));
    }

    ctx.step("Writing the report");
    const notes = await maskSecrets(input.notes);
    const head = `Title: ${input.title ?? "(none given)"}\nAudience: ${input.audience ? AUDIENCES[input.audience] : "(not named: write for a general business reader)"}\nNotes:\n`;
    const material = fenced("material", data);
    const prompt = `${fencedWithin("input", head + notes, room - byteLength(material) - 1)}\n${material}`;
    const markdown = (await ctx.model.text({ job: JOB, prompt, onText: (delta) => ctx.output(delta) })).trim();
    if (!markdown) throw new DomainError("unavailable", "The model wrote no report; the run was not charged");

    return {
      title: input.title ?? firstTitle(markdown) ?? DEFAULT_TITLE,
      executiveSummary: executiveSummary(markdown),
      markdown,
      charts,
      stats: profiles.map(({ distinct: _, negative: __, ...stats }): FieldStats => stats),
    };
  },
});

/** The figures with the values of secret-named fields, and secrets found among the others, masked. */
async function withoutSecrets(profiles: FieldProfile[]): Promise<FieldProfile[]> {
  const values = await maskSecrets(profiles.flatMap((p) => p.top.map((t) => (isSecretName(p.field) ? maskSecret(t.value) : t.value))));
  let next = 0;
  return profiles.map((p) => ({ ...p, top: p.top.map((t) => ({ ...t, value: values[next++]! })) }));
}

/** The data as the model sees it, within `bytes`: its size, the suggested charts, and a line of figures per field. */
function describeData(format: string, rows: number, profiles: FieldProfile[], charts: ChartSuggestion[], bytes: number): string {
  const suggested = charts.map((c) => `- ${c.type} "${c.title}" (x: ${c.x}${c.y ? `, y: ${c.y}` : ", counting rows"}): ${c.reason}`);
  const head = [`${format.toUpperCase()} data: ${rows} rows, ${profiles.length} fields.`, "Suggested charts:", ...suggested, "Fields:"].join("\n");
  const fields = profiles.map((p) => {
    const figures =
      p.min !== null
        ? `; min ${p.min}, max ${p.max}, mean ${p.mean}, sum ${p.sum}`
        : p.top.length > 0
          ? `; most frequent: ${p.top.map((t) => `${JSON.stringify(t.value)} ${t.count}`).join(", ")}`
          : "";
    return `- ${JSON.stringify(p.field)} (${p.type}): ${p.count} values${figures}`;
  });
  return `${head}\n${linesWithin(fields, bytes - byteLength(head) - 1, "fields").join("\n")}`;
}
