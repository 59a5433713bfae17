import { describe, expect, it } from "vitest";
import { DomainError } from "../../../errors.ts";
import { convert } from "./convert.ts";
import { readTable, writeTable } from "./formats.ts";
import type { DataFormat } from "./table.ts";

const RAW = { inferTypes: false, clean: false };
const asIs = (data: string, from: DataFormat, to: DataFormat) => convert(data, { from, to, ...RAW }).output;

/** The DomainError a read throws, for its reason and message. */
function failure(data: string, format: DataFormat): DomainError {
  try {
    readTable(data, format);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("the data was read");
}

describe("CSV", () => {
  it("gives, with neither option, each field's exact string keyed by the header: quotes, commas, CRLF and line breaks in fields", () => {
    const csv = 'name,quote,notes,empty\r\n Ada ,"She said ""hi"", then left","line one\r\nline two",\r\n"Bob, Jr.",plain ,"a\nb",\r\n';
    expect(JSON.parse(asIs(csv, "csv", "json"))).toEqual([
      { name: " Ada ", quote: 'She said "hi", then left', notes: "line one\r\nline two", empty: "" },
      { name: "Bob, Jr.", quote: "plain ", notes: "a\nb", empty: "" },
    ]);
  });

  it("takes a semicolon or tab delimiter from the header line, and names an empty header by its column", () => {
    expect(readTable("a;b\n1;2,5\n", "csv").rows).toEqual([["1", "2,5"]]);
    expect(readTable("a\tb\n1\t2\n", "csv").fields).toEqual(["a", "b"]);
    expect(readTable(",name\n0,Ada\n", "csv").fields).toEqual(["column_1", "name"]);
  });

  it("writes RFC 4180: CRLF, and quotes only fields that need them", () => {
    expect(
      writeTable(
        {
          fields: ["a", "b"],
          rows: [
            ['x, "y"', "line\nbreak"],
            [1, null],
          ],
        },
        "csv",
      ),
    ).toBe('a,b\r\n"x, ""y""","line\nbreak"\r\n1,\r\n');
  });

  it("says on which line the data stops being CSV", () => {
    const unclosed = failure('a,b\n1,2\n3,"open\n4,5\n', "csv");
    expect(unclosed.reason).toBe("invalid_input");
    expect(unclosed.message).toBe("CSV line 3: a quoted field that starts in this record is never closed");
    expect(failure("a,b\n1,2\n3,4\n5,6,7\n", "csv").message).toBe("CSV line 4: 3 fields where the header has 2");
    expect(failure('a,b\n1,"x"y\n', "csv").message).toMatch(/^CSV line 2: a character follows a closing quote/);
    expect(failure('a,b\n1,x"y\n', "csv").message).toMatch(/^CSV line 2: a quote within an unquoted field/);
    expect(failure("a,b,a\n1,2,3\n", "csv").message).toBe('CSV line 1: the header names the field "a" twice; field names must be unique');
    expect(failure("\n\n", "csv").message).toBe("CSV: there is no header row");
  });
});

describe("JSON", () => {
  it("reads an array of objects, nested values as dotted fields, missing ones null", () => {
    const json = '[{"id": 1, "who": {"name": "Ada", "tags": ["a", "b"]}, "ok": true}, {"id": 2, "extra": null, "empty": {}}]';
    expect(readTable(json, "json")).toEqual({
      fields: ["id", "who.name", "who.tags.0", "who.tags.1", "ok", "extra", "empty"],
      rows: [
        [1, "Ada", "a", "b", true, null, null],
        [2, null, null, null, null, null, null],
      ],
      leftOut: [],
    });
    expect(asIs(json, "json", "csv")).toBe("id,who.name,who.tags.0,who.tags.1,ok,extra,empty\r\n1,Ada,a,b,true,,\r\n2,,,,,,\r\n");
  });

  it("reads the rows from an object holding one array of objects, its other properties left out", () => {
    expect(readTable('{"total": 2, "items": [{"a": "x"}, {"a": "y"}], "page": {"n": 1}}', "json").rows).toEqual([["x"], ["y"]]);
    expect(readTable('{"items": []}', "json").rows).toEqual([]);
  });

  it("keeps a key such as __proto__ as data", () => {
    expect(JSON.parse(asIs('[{"__proto__": "x", "a": 1}]', "json", "json"))).toEqual([JSON.parse('{"__proto__": "x", "a": 1}')]);
  });

  it("says where the text stops being JSON, with line and column", () => {
    expect(failure('[{"a": 1},\n {"a": }]', "json").message).toBe("JSON line 2, column 8: Unexpected token '}'");
    expect(failure('[{"a": 1},\n {"a": 2},]', "json").message).toBe("JSON line 2, column 11: Unexpected token ']'");
    expect(failure('[{"a": 1}', "json").message).toMatch(/^JSON line 1, column 10: /);
    expect(failure("[{'a': 1}]", "json").message).toMatch(/^JSON line 1, column 3: /);
    expect(failure('[{"a": "tab\there"}]', "json").message).toMatch(/^JSON line 1, column 12: Bad control character/);
  });

  it("refuses JSON that holds no rows, saying what it found", () => {
    expect(failure('[{"a": 1}, 2]', "json").message).toBe("JSON: item 2 of the rows is a number; each row must be an object");
    expect(failure('"text"', "json").message).toMatch(/^JSON: the data is a string; give an array of objects/);
    expect(failure('{"a": [{"x": 1}], "b": [{"y": 2}]}', "json").message).toMatch(/^JSON: the object holds 2 arrays of objects/);
    expect(failure('{"a": 1}', "json").message).toMatch(/^JSON: the object holds no array of objects/);
  });
});

describe("XML", () => {
  it("reads the root's repeated children as rows: attributes as @ fields, nested elements dotted, text as it is", () => {
    const xml = `<?xml version="1.0"?>
<export>
  <meta>generated</meta>
  <row id="1">
    <name> Ada &amp; co </name>
    <address><city>Paris</city></address>
    <note/>
  </row>
  <row id="2"><name>Bob</name><address><city>Rome</city></address><note>a&#13;&#10;b</note></row>
</export>`;
    expect(readTable(xml, "xml")).toEqual({
      fields: ["@id", "name", "address.city", "note"],
      rows: [
        ["1", " Ada & co ", "Paris", ""],
        ["2", "Bob", "Rome", "a\r\nb"],
      ],
      leftOut: ["meta"],
    });
  });

  it("writes <rows><row>, @ fields as attributes, names made safe and text escaped", () => {
    const table = { fields: ["@id", "first name", "2nd", "xmlish", "note"], rows: [["7", "Ada", "x", null, 'a < b & "c"\r\n']] };
    expect(writeTable(table, "xml")).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<rows>\n  <row id="7">\n    <first_name>Ada</first_name>\n    <_2nd>x</_2nd>\n    <_xmlish/>\n    <note>a &lt; b &amp; "c"&#13;\n</note>\n  </row>\n</rows>\n`,
    );
  });

  it("says where the text stops being XML, with line and column", () => {
    const broken = failure("<rows>\n  <row>\n    <a>1</b>\n  </row>\n</rows>", "xml");
    expect(broken.reason).toBe("invalid_input");
    expect(broken.message).toMatch(/^XML line 3, column \d+: Expected closing tag 'a'/);
    expect(failure("<rows><row>", "xml").message).toBe("XML line 1, column 1: the text ends with tags left open: <rows>, <row>");
    expect(failure("<rows>text</rows>", "xml").message).toBe("XML: the root element <rows> holds text; the rows must be its child elements");
  });
});

describe("round trips", () => {
  const CSV = 'id,name,note,text,amount,when,flag\r\n1, Ada ,"says ""hi"", twice","two\r\nlines",12.5,2024-03-05,true\r\n2,Bob,,,"-3",,false\r\n';
  const TABLE = readTable(CSV, "csv");

  it.each(["json", "xml"] as const)("CSV -> %s -> CSV gives back the same table, neither option on", (via) => {
    const back = asIs(asIs(CSV, "csv", via), via, "csv");
    expect(readTable(back, "csv")).toEqual(TABLE);
  });

  it.each(["json", "xml"] as const)("CSV -> %s -> CSV gives back the same table with types inferred, where values keep their text", (via) => {
    const there = convert(CSV, { from: "csv", to: via, inferTypes: true, clean: false }).output;
    const back = convert(there, { from: via, to: "csv", inferTypes: true, clean: false }).output;
    expect(readTable(back, "csv")).toEqual(TABLE);
  });

  it("types values in JSON output: numbers, booleans, null for a blank number", () => {
    expect(JSON.parse(convert(CSV, { from: "csv", to: "json", inferTypes: true, clean: false }).output)[1]).toEqual({
      id: 2,
      name: "Bob",
      note: "",
      text: "",
      amount: -3,
      when: "",
      flag: false,
    });
  });

  it("keeps attributes through XML -> CSV -> XML", () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<rows>\n  <row id="1" kind="a &amp; b">\n    <v>x</v>\n  </row>\n</rows>\n`;
    expect(asIs(asIs(xml, "xml", "csv"), "csv", "xml")).toBe(xml);
  });
});

describe("a 1 MB input", () => {
  it("converts CSV to JSON and XML, cleaned and typed, in well under a few seconds", () => {
    const lines = ["id,name,email,joined,amount,active,comment"];
    for (let i = 0, bytes = lines[0]!.length; bytes < 1024 * 1024 - 200; i++) {
      const line = `${i}, Name ${i} ,User${i}@Example.com,${(i % 28) + 1}/0${(i % 9) + 1}/2024,"1,${String(i % 1000).padStart(3, "0")}.50",${i % 2 === 0},"a, ""quoted"" comment"`;
      lines.push(line);
      bytes += line.length + 1;
    }
    const csv = lines.join("\n");
    expect(Buffer.byteLength(csv)).toBeLessThanOrEqual(1024 * 1024);
    for (const to of ["json", "xml"] as const) {
      const started = performance.now();
      const result = convert(csv, { from: "csv", to, inferTypes: true, clean: true });
      const seconds = (performance.now() - started) / 1000;
      expect(seconds).toBeLessThan(3);
      expect(result.table.rows.length).toBe(lines.length - 1);
      expect(result.schema.map((f) => f.type)).toEqual(["integer", "string", "email", "date", "number", "boolean", "string"]);
      expect(result.changeCount).toBeGreaterThan(result.changes.length);
    }
  });
});
