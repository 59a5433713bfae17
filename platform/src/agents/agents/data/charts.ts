import type { chartTypes } from "@bizbot/shared";
import { isNumeric } from "./schema.ts";
import type { FieldProfile } from "./stats.ts";

export interface ChartSuggestion {
  type: (typeof chartTypes)[number];
  title: string;
  x: string;
  /** null: the chart counts rows. */
  y: string | null;
  reason: string;
}

/** A category field has at most this many distinct values, for bars; a pie takes at most PIE_SLICES. */
const BAR_CATEGORIES = 12;
const PIE_SLICES = 6;
const MAX_CHARTS = 6;

/**
 * Charts the fields' types support, by rule: a date field with a numeric one is a line; a category field (text or
 * yes/no with 2 to 12 repeating values) with a numeric one is a bar, and a pie too when there are at most 6 categories
 * and no negative number (shares of a whole); a category field alone counts its rows (pie or bar); two numeric
 * fields are a scatter. Numeric fields named as identifiers (`id`, `customer_id`) measure nothing and are passed
 * over. When nothing fits, a table.
 */
export function suggestCharts(profiles: FieldProfile[]): ChartSuggestion[] {
  const charts: ChartSuggestion[] = [];
  const date = profiles.find((p) => p.type === "date" && p.count > 0);
  const measures = profiles.filter((p) => isNumeric(p.type) && p.count > 0 && !isIdentifier(p.field));
  const categories = profiles.filter(
    (p) => (p.type === "string" || p.type === "boolean") && p.distinct >= 2 && p.distinct <= BAR_CATEGORIES && p.distinct < p.count,
  );

  if (date) {
    for (const m of measures.slice(0, 2)) {
      charts.push({
        type: "line",
        title: `${m.field} over ${date.field}`,
        x: date.field,
        y: m.field,
        reason: `${date.field} holds dates and ${m.field} numbers: a line shows how ${m.field} moves over time`,
      });
    }
  }
  for (const c of categories.slice(0, 2)) {
    const m = measures[0];
    const few = c.distinct <= PIE_SLICES;
    if (m) {
      charts.push({
        type: "bar",
        title: `${m.field} by ${c.field}`,
        x: c.field,
        y: m.field,
        reason: `${c.field} has ${c.distinct} categories and ${m.field} is numeric: bars compare ${m.field} across them`,
      });
      if (few && !m.negative) {
        charts.push({
          type: "pie",
          title: `Share of ${m.field} by ${c.field}`,
          x: c.field,
          y: m.field,
          reason: `${c.field} has ${c.distinct} categories and ${m.field} no negative values: a pie shows each category's share of the total`,
        });
      }
    } else {
      charts.push({
        type: few ? "pie" : "bar",
        title: `Rows by ${c.field}`,
        x: c.field,
        y: null,
        reason: few
          ? `${c.field} has ${c.distinct} categories: a pie shows each one's share of the rows`
          : `${c.field} has ${c.distinct} categories: bars compare how many rows each has`,
      });
    }
  }
  const [first, second] = measures;
  if (first && second) {
    charts.push({
      type: "scatter",
      title: `${second.field} against ${first.field}`,
      x: first.field,
      y: second.field,
      reason: `${first.field} and ${second.field} are both numeric: a scatter shows whether they move together`,
    });
  }
  if (charts.length === 0 && profiles[0]) {
    charts.push({
      type: "table",
      title: "The data",
      x: profiles[0].field,
      y: null,
      reason: "No dates, few-valued categories or pairs of numbers to plot: a table shows the data best",
    });
  }
  return charts.slice(0, MAX_CHARTS);
}

/** `id`, `customer_id`, `order-id`, `customerId`: identifiers, not quantities. */
const isIdentifier = (field: string) => /(?:^|[\s_.-])id$/i.test(field) || /[a-z]Id$/.test(field);
