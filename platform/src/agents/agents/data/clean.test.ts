import { describe, expect, it } from "vitest";
import { cleanTable, MAX_LISTED_CHANGES } from "./clean.ts";
import { convert } from "./convert.ts";
import { readTable } from "./formats.ts";
import { inferSchema } from "./schema.ts";

const clean = (csv: string) => {
  const table = readTable(csv, "csv");
  return cleanTable(table, inferSchema(table));
};

describe("cleaning", () => {
  it("trims, normalises numbers, dates and e-mails, drops duplicates, and lists each change", () => {
    const csv = [
      "name,amount,joined,email",
      ' Ada ,"1,234.50",05/03/2024,Ada@Example.COM',
      "Bob,12,25/12/2023,bob@example.org",
      'Ada,"1,234.50",2024/03/05,ada@example.com',
    ].join("\n");
    const { table, changes, changeCount } = clean(csv);
    expect(table.rows).toEqual([
      ["Ada", "1234.50", "2024-03-05", "ada@example.com"],
      ["Bob", "12", "2023-12-25", "bob@example.org"],
    ]);
    expect(changes).toEqual([
      { row: 1, field: "name", rule: "trim", from: " Ada ", to: "Ada" },
      { row: 1, field: "amount", rule: "number", from: "1,234.50", to: "1234.50" },
      { row: 1, field: "joined", rule: "date", from: "05/03/2024", to: "2024-03-05" },
      { row: 1, field: "email", rule: "email", from: "Ada@Example.COM", to: "ada@example.com" },
      { row: 2, field: "joined", rule: "date", from: "25/12/2023", to: "2023-12-25" },
      { row: 3, field: "amount", rule: "number", from: "1,234.50", to: "1234.50" },
      { row: 3, field: "joined", rule: "date", from: "2024/03/05", to: "2024-03-05" },
      { row: 3, field: "", rule: "duplicate", from: "the same as row 1", to: "(row removed)" },
    ]);
    expect(changeCount).toBe(8);
  });

  it("reads day-and-month dates month first when a value says so, and leaves them when nothing does", () => {
    expect(clean("d\n03/05/2024\n12/25/2023\n").table.rows).toEqual([["2024-03-05"], ["2023-12-25"]]);
    const unclear = clean("d\n03/05/2024\n04/06/2023\n5 May 2024\n");
    expect(unclear.table.rows).toEqual([["03/05/2024"], ["04/06/2023"], ["2024-05-05"]]);
    expect(unclear.changes.map((c) => c.rule)).toEqual(["date"]);
  });

  it("normalises only fields of the type: a number among words, or a date in a mixed field, stays as written", () => {
    const { table, changes } = clean('amount,when\n"1,234",2024/03/05\nabout ten,soon\n');
    expect(table.rows).toEqual([
      ["1,234", "2024/03/05"],
      ["about ten", "soon"],
    ]);
    expect(changes).toEqual([]);
  });

  it("lists the first 500 changes and counts them all, quoting long values clipped", () => {
    const rows = Array.from({ length: 700 }, (_, i) => ` v${i} ,${" x".repeat(200)}`);
    const { changes, changeCount } = clean(`a,b\n${rows.join("\n")}\n`);
    expect(changeCount).toBe(1400);
    expect(changes).toHaveLength(MAX_LISTED_CHANGES);
    expect(changes[1]!.from).toHaveLength(200);
    expect(changes[1]!.from.endsWith("…")).toBe(true);
  });

  it("changes nothing when cleaning is off", () => {
    const result = convert(" a ,b\n 1 ,x\n 1 ,x\n", { from: "csv", to: "csv", inferTypes: true, clean: false });
    expect(result).toMatchObject({ changes: [], changeCount: 0, output: " a ,b\r\n 1 ,x\r\n 1 ,x\r\n" });
  });

  it("cleans JSON text values and leaves its numbers and booleans alone", () => {
    const result = convert('[{"n": 1, "s": " x ", "ok": true}, {"n": 1, "s": "x", "ok": true}]', { from: "json", to: "json", inferTypes: true, clean: true });
    expect(JSON.parse(result.output)).toEqual([{ n: 1, s: "x", ok: true }]);
    expect(result.changes.map((c) => c.rule)).toEqual(["trim", "duplicate"]);
  });
});
