import { SECURITY_SCAN_MAX_BYTES } from "@bizbot/shared";
import { describe, expect, it } from "vitest";
import { fake } from "../../secrets/fixtures/fake.ts";
import { CLEAN } from "./fixtures/clean.ts";
import { PLANTED } from "./fixtures/planted.ts";
import { scan } from "./scan.ts";
import { severityRank } from "./types.ts";

/** Lines repeated up to the input's largest size. */
const fill = (lines: string[]) => {
  const block = `${lines.join("\n")}\n`;
  return block.repeat(Math.floor(SECURITY_SCAN_MAX_BYTES / block.length));
};

const timed = async (text: string) => {
  const started = performance.now();
  const result = await scan(text);
  return { result, ms: performance.now() - started };
};

describe("scan", () => {
  it("masks every planted secret in the evidence and in the masked text", async () => {
    for (const fixture of PLANTED) {
      const result = await scan(fixture.content, fixture.filename);
      const shown = JSON.stringify(result.findings.map(({ secret: _, ...f }) => f)) + result.masked.text;
      for (const { value } of fixture.planted) expect(shown, fixture.name).not.toContain(value);
      expect(result.masked.lines).toHaveLength(fixture.content.split("\n").length);
    }
  });

  it("reports one finding per rule and place, worst first, then by line", async () => {
    const key = `sk_live_${fake(1, 30)}`;
    const text = `el.innerHTML = a;\nconst k = "${key}"; const again = "${key}";\nel.innerHTML = b;\nel.innerHTML = b;\n`;
    const { findings } = await scan(text, "app.js");
    expect(findings.map((f) => `${f.rule}@${f.line}:${f.column}`)).toEqual([
      "stripe-live-key@2:12",
      "stripe-live-key@2:68",
      "html-injection@1:3",
      "html-injection@3:3",
      "html-injection@4:3",
    ]);
    const ranks = findings.map((f) => severityRank(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it("merges finds of one rule at one place", async () => {
    const { findings } = await scan(`{ "dependencies": { "lodash": "4.17.0", "lodash": "4.17.0" } }`, "package.json");
    expect(findings.map((f) => `${f.rule}@${f.line}:${f.column}`)).toEqual(["vulnerable-dependency@1:22"]);
  });

  it("scans 200 KB of ordinary code, secrets and responses in well under a second or two", async () => {
    const text = fill([
      `const client = new Client({ apiKey: process.env.API_KEY, retries: 3 });`,
      `aws_secret_access_key = ${fake(2, 39)}Q`,
      `db.query("SELECT * FROM orders WHERE id = " + id);`,
      `HTTP/1.1 200 OK`,
      `Content-Type: text/html`,
      `Set-Cookie: sid=${fake(3, 24)}; Path=/`,
      ``,
    ]);
    const { result, ms } = await timed(text);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(SECURITY_SCAN_MAX_BYTES);
    expect(result.findings.length).toBeGreaterThan(1000);
    expect(ms).toBeLessThan(5000);
  });

  it.each([
    ["one 200 KB line of letters", "a".repeat(SECURITY_SCAN_MAX_BYTES)],
    ["one long word-and-dot run", "a.b-c_".repeat(SECURITY_SCAN_MAX_BYTES / 6)],
    ["repeated secret names without values", "password=token=secret=".repeat(SECURITY_SCAN_MAX_BYTES / 22)],
    ["repeated URL starts", "x://a:b".repeat(SECURITY_SCAN_MAX_BYTES / 7)],
    ["a private key that never ends", `-----BEGIN RSA PRIVATE KEY-----\n${"QUJD".repeat(SECURITY_SCAN_MAX_BYTES / 4 - 10)}`],
    ["JWT-like dots", "eyJhbGciOiJIUzI1NiJ9.".repeat(SECURITY_SCAN_MAX_BYTES / 21)],
    ["header-like lines", "X-Header: value\n".repeat(SECURITY_SCAN_MAX_BYTES / 16)],
  ])("stays fast on hostile input: %s", async (_name, text) => {
    const { ms } = await timed(text);
    expect(ms).toBeLessThan(5000);
  });
});

describe("secret detection on the fixtures", () => {
  it("has 20 files with planted secrets and 20 clean files", () => {
    expect(PLANTED).toHaveLength(20);
    expect(CLEAN).toHaveLength(20);
  });

  it.each(PLANTED.map((f) => [f.name, f] as const))("finds every planted secret: %s", async (_name, fixture) => {
    const { findings } = await scan(fixture.content, fixture.filename);
    for (const { rule, value } of fixture.planted) {
      const at = fixture.content.indexOf(value);
      expect(at, `${rule} value is in the fixture`).toBeGreaterThanOrEqual(0);
      const found = findings.find((f) => f.rule === rule && f.category === "secret" && f.secret!.start <= at && at + value.length <= f.secret!.end);
      expect(found, `${rule} at offset ${at}`).toBeDefined();
      expect(found!.evidence).not.toContain(value);
    }
  });

  it.each(CLEAN.map((f) => [f.name, f] as const))("flags nothing in a clean file: %s", async (_name, fixture) => {
    const { findings } = await scan(fixture.content, fixture.filename);
    expect(findings.map((f) => `${f.rule} line ${f.line}: ${f.evidence}`)).toEqual([]);
  });
});
