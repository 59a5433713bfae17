import { describe, expect, it } from "vitest";
import { dateOrder, isoDate, readDate } from "./dates.ts";
import { readTable } from "./formats.ts";
import { inferSchema, typedRow } from "./schema.ts";
import type { Table } from "./table.ts";

const column = (...values: (string | number | boolean | null)[]): Table => ({ fields: ["f"], rows: values.map((v) => [v]) });
const typeOf = (...values: (string | number | boolean | null)[]) => inferSchema(column(...values))[0]!.type;

describe("schema inference", () => {
  it("gives each field the type its non-empty values share", () => {
    expect(typeOf("1", " 42 ", "-7", "1,234")).toBe("integer");
    expect(typeOf("1", "2.5", "1e3", "1,234.50")).toBe("number");
    expect(typeOf("true", "FALSE", "")).toBe("boolean");
    expect(typeOf("2024-03-05", "2024/03/06", "5 March 2024", "Mar 7, 2024", "2024-03-05T10:00:00Z", "25/12/2023")).toBe("date");
    expect(typeOf("ada@example.com", "Bob@Example.org")).toBe("email");
    expect(typeOf("", "  ", null)).toBe("empty");
    expect(typeOf("1", "one")).toBe("mixed");
    expect(typeOf("Paris", "Rome")).toBe("string");
  });

  it("keeps codes with leading zeros, currency amounts and oversized integers as text", () => {
    expect(typeOf("02134", "10001")).toBe("mixed");
    expect(typeOf("02134", "00501")).toBe("string");
    expect(typeOf("$12", "$3.50")).toBe("string");
    expect(typeOf("12345678901234567890")).toBe("string");
    expect(typeOf("1.234,50")).toBe("string");
  });

  it("reads JSON's own values by their type", () => {
    expect(typeOf(1, 2, null)).toBe("integer");
    expect(typeOf(1, 2.5)).toBe("number");
    expect(typeOf(true, false)).toBe("boolean");
    expect(typeOf(1, "a")).toBe("mixed");
  });

  it("says whether a field is ever blank, and gives a few distinct examples, clipped", () => {
    const table = readTable(`name,city,bio\nAda,Paris,${"x".repeat(100)}\nBob,,short\nAda,Rome,\nCy,Oslo,\nDi,Lima,\n`, "csv");
    const [name, city, bio] = inferSchema(table);
    expect(name).toMatchObject({ name: "name", nullable: false, examples: ["Ada", "Bob", "Cy"] });
    expect(city).toMatchObject({ nullable: true, examples: ["Paris", "Rome", "Oslo"] });
    expect(bio!.examples[0]).toBe(`${"x".repeat(59)}…`);
  });

  it("types a row for JSON: numbers and booleans, null for their blanks, other fields untouched", () => {
    const table = readTable("n,b,d,s,e\n1,true,2024-03-05, x ,\n,,2024-03-06,y,\n", "csv");
    const schema = inferSchema(table);
    expect(table.rows.map((row) => typedRow(row, schema))).toEqual([
      [1, true, "2024-03-05", " x ", null],
      [null, null, "2024-03-06", "y", null],
    ]);
  });
});

describe("dates", () => {
  it("reads the unambiguous forms to ISO, and refuses days that do not exist", () => {
    const iso = (text: string) => {
      const date = readDate(text);
      return date && isoDate(date, null);
    };
    expect(iso("2024/3/5")).toBe("2024-03-05");
    expect(iso("5 March 2024")).toBe("2024-03-05");
    expect(iso("5th Sept 2024")).toBe("2024-09-05");
    expect(iso("March 5, 2024")).toBe("2024-03-05");
    expect(iso("Mar. 5 2024")).toBe("2024-03-05");
    expect(readDate("2024-02-30")).toBeNull();
    expect(readDate("2023/02/29")).toBeNull();
    expect(readDate("2024/02/29")).not.toBeNull();
    expect(readDate("31/31/2024")).toBeNull();
    expect(readDate("05/03/24")).toBeNull();
  });

  it("orders day and month only when some value settles it", () => {
    expect(
      dateOrder([
        { first: 25, second: 12 },
        { first: 5, second: 3 },
      ]),
    ).toBe("dmy");
    expect(dateOrder([{ first: 12, second: 25 }])).toBe("mdy");
    expect(dateOrder([{ first: 5, second: 3 }])).toBeNull();
    expect(
      dateOrder([
        { first: 25, second: 12 },
        { first: 12, second: 25 },
      ]),
    ).toBeNull();
    const date = readDate("05/03/2024")!;
    expect([isoDate(date, "dmy"), isoDate(date, "mdy"), isoDate(date, null)]).toEqual(["2024-03-05", "2024-05-03", null]);
  });
});
