import { describe, expect, it } from "vitest";
import { suggestCharts } from "./charts.ts";
import { readTable } from "./formats.ts";
import { inferSchema } from "./schema.ts";
import { fieldStats } from "./stats.ts";

const profile = (csv: string) => {
  const table = readTable(csv, "csv");
  return fieldStats(table, inferSchema(table));
};

describe("field statistics", () => {
  it("counts values, sums numeric fields and lists the most frequent values of the others", () => {
    const [region, revenue, name] = profile('region,revenue,name\nNorth,0.1,Ada\nSouth,0.2,Bob\nNorth,"1,000",Cy\nNorth,,Di\n,3,Ed\nSouth,-1,Flo\n');
    expect(region).toMatchObject({
      field: "region",
      type: "string",
      count: 5,
      min: null,
      sum: null,
      top: [
        { value: "North", count: 3 },
        { value: "South", count: 2 },
      ],
    });
    expect(revenue).toMatchObject({ type: "number", count: 5, min: -1, max: 1000, sum: 1002.3, mean: 200.46, top: [], negative: true });
    // Six different names: nothing stands out.
    expect(name).toMatchObject({ count: 6, top: [] });
  });

  it("gives empty figures for a numeric field with no values and for an empty table", () => {
    expect(profile("a,b\n1,\n")[1]).toMatchObject({ type: "empty", count: 0, min: null, top: [] });
    expect(profile("a\n")).toMatchObject([{ field: "a", count: 0, top: [] }]);
  });
});

describe("chart suggestions", () => {
  const charts = (csv: string) => suggestCharts(profile(csv)).map(({ type, x, y }) => [type, x, y]);

  it("suggests a line for a date with a number, bar and pie for few categories, a scatter for two numbers", () => {
    const csv = "id,day,region,revenue,cost\n1,2024-01-01,North,10,4\n2,2024-01-02,South,12,5\n3,2024-01-03,North,9,3\n4,2024-01-04,East,14,6\n";
    expect(charts(csv)).toEqual([
      ["line", "day", "revenue"],
      ["line", "day", "cost"],
      ["bar", "region", "revenue"],
      ["pie", "region", "revenue"],
      ["scatter", "revenue", "cost"],
    ]);
    expect(suggestCharts(profile(csv))[0]!.reason).toBe("day holds dates and revenue numbers: a line shows how revenue moves over time");
  });

  it("takes no pie when a number can be negative or there are over six categories, and counts rows without a number", () => {
    const regions = ["a", "b", "c", "d", "e", "f", "g"];
    const many = regions.flatMap((r, i) => [`${r},${i - 3}`, `${r},${i}`]).join("\n");
    expect(charts(`region,delta\n${many}\n`)).toEqual([["bar", "region", "delta"]]);
    expect(charts("status\nopen\nclosed\nopen\n")).toEqual([["pie", "status", null]]);
  });

  it("falls back to a table when nothing can be plotted", () => {
    expect(charts("name,note\nAda,x\nBob,y\n")).toEqual([["table", "name", null]]);
    expect(suggestCharts([])).toEqual([]);
  });
});
