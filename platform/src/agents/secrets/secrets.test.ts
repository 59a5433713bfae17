import { describe, expect, it } from "vitest";
import { ALNUM, b64url, fake } from "./fixtures/fake.ts";
import { detectSecrets } from "./secrets.ts";
import { LineIndex } from "./text.ts";

const secretsIn = async (text: string, json = false) => detectSecrets(new LineIndex(text), { json });

describe("secret findings", () => {
  it("shows a secret by its first four characters only, with a 1-based line and column", async () => {
    const key = `AKIA${fake(1, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`;
    const [finding] = await secretsIn(`# keys\nconst id = "${key}";\n`);
    expect(finding).toMatchObject({ rule: "aws-access-key-id", category: "secret", line: 2, column: 13, evidence: "AKIA…" });
  });

  it("keeps the most specific rule where finds overlap", async () => {
    const token = `ghp_${fake(2, 36)}`;
    const findings = await secretsIn(`api_token = "${token}"\nremote = https://ci:${token}@git.example.net/acme/api.git\n`);
    expect(findings.map((f) => f.rule)).toEqual(["github-token", "github-token"]);
  });

  it("accepts a JWT only when its header decodes to JSON naming an algorithm", async () => {
    const payload = b64url({ sub: "42" });
    const signature = fake(3, 43);
    const real = `${b64url({ alg: "RS256" })}.${payload}.${signature}`;
    const fakeHeader = `eyJ${fake(4, 30)}.${payload}.${signature}`;
    expect((await secretsIn(`a = ${real}`)).map((f) => f.rule)).toEqual(["jwt"]);
    expect(await secretsIn(`b ${fakeHeader}`)).toEqual([]);
  });

  it("does not let a secretlint-disable comment hide a secret", async () => {
    const key = `sk_live_${fake(5, 30)}`;
    const findings = await secretsIn(`// secretlint-disable\nconst stripe = "${key}";\n`);
    expect(findings.map((f) => f.rule)).toEqual(["stripe-live-key"]);
  });

  it("checks generic assignments for randomness, not for their name alone", async () => {
    const random = fake(6, 28, `${ALNUM}!#%`);
    const findings = await secretsIn(
      [
        `password = "${random}"`,
        `password = "aaaaaaaaaaaaaaaa"`,
        `token: string;`,
        `api_key = config.services.payments.key`,
        `secret = getSecret("payments")`,
        `auth_token = "{{ vault_auth_token }}"`,
        `tokenizer = "whitespace-tokenizer-v2"`,
      ].join("\n"),
    );
    expect(findings.map((f) => [f.rule, f.line, f.evidence])).toEqual([["generic-secret", 1, `password = "${random.slice(0, 4)}…`]]);
  });

  it("masks the password of a URL and keeps the rest readable", async () => {
    const password = fake(7, 18);
    const [finding] = await secretsIn(`amqp://orders:${password}@mq.internal:5672/prod`);
    expect(finding).toMatchObject({ rule: "url-password", evidence: `amqp://orders:${password.slice(0, 4)}…@mq.internal` });
  });

  it("reports a private key where its block starts and masks its body", async () => {
    const body = `MIIEow${fake(8, 250, `${ALNUM}+/`)}`.match(/.{1,64}/g)!.join("\n");
    const text = `first line\n-----BEGIN EC PRIVATE KEY-----\n${body}\n-----END EC PRIVATE KEY-----\n`;
    const [finding] = await secretsIn(text);
    expect(finding).toMatchObject({ rule: "private-key", line: 2, evidence: "-----BEGIN EC PRIVATE KEY----- MIIE… -----END EC PRIVATE KEY-----" });
  });
});
