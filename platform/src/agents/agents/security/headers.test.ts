import { describe, expect, it } from "vitest";
import { detectHeaders } from "./headers.ts";
import { LineIndex } from "../../secrets/text.ts";

const check = (text: string) => detectHeaders(new LineIndex(text));
const rules = (text: string) => check(text).findings.map((f) => `${f.rule}@${f.line}`);

const GOOD = [
  "HTTP/1.1 200 OK",
  "Content-Type: text/html; charset=utf-8",
  "Strict-Transport-Security: max-age=31536000; includeSubDomains",
  "Content-Security-Policy: default-src 'self'; frame-ancestors 'self'",
  "X-Content-Type-Options: nosniff",
  "Referrer-Policy: no-referrer",
  "Set-Cookie: sid=a81fd02c9e; Path=/; Secure; HttpOnly; SameSite=Lax",
];

describe("security headers", () => {
  it("finds nothing wrong with a well-configured response", () => {
    expect(check(GOOD.join("\n"))).toEqual({ responses: 1, findings: [] });
  });

  it("reports each missing header at the status line", () => {
    expect(rules("HTTP/1.1 200 OK\nContent-Type: text/html\n\n<html></html>")).toEqual([
      "missing-hsts@1",
      "missing-csp@1",
      "missing-x-content-type-options@1",
      "missing-frame-protection@1",
      "missing-referrer-policy@1",
    ]);
  });

  it("asks page-only headers of HTML responses only", () => {
    expect(rules("HTTP/2 200\ncontent-type: application/json\nstrict-transport-security: max-age=31536000\nx-content-type-options: nosniff")).toEqual([]);
  });

  it("reports weak settings on their own lines", () => {
    const response = [
      "HTTP/1.1 200 OK",
      "Content-Type: text/html",
      "Strict-Transport-Security: max-age=86400",
      "Content-Security-Policy: default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' https:",
      "X-Frame-Options: DENY",
      "X-Content-Type-Options: nosniff",
      "Referrer-Policy: no-referrer",
      "Access-Control-Allow-Origin: *",
      "Access-Control-Allow-Credentials: true",
      "Server: Apache/2.4.41 (Ubuntu)",
      "X-Powered-By: PHP/7.4.3",
    ].join("\n");
    expect(rules(response)).toEqual([
      "weak-hsts@3",
      "csp-unsafe-inline@4",
      "csp-unsafe-eval@4",
      "csp-wildcard-source@4",
      "cors-wildcard-with-credentials@8",
      "version-disclosure@10",
      "version-disclosure@11",
    ]);
  });

  it("ignores 'unsafe-inline' that a nonce overrides", () => {
    const response = [
      ...GOOD.slice(0, 3),
      "Content-Security-Policy: script-src 'self' 'nonce-r4nd0m' 'unsafe-inline'; frame-ancestors 'none'",
      ...GOOD.slice(4),
    ];
    expect(rules(response.join("\n"))).toEqual([]);
  });

  it("checks each cookie's flags and masks its value", () => {
    const { findings } = check(
      [...GOOD.slice(0, 6), "Set-Cookie: session_id=9f8e7d6c5b4a39281706; Path=/", "Set-Cookie: theme=dark; Secure; SameSite=Lax"].join("\n"),
    );
    expect(findings.map((f) => [f.rule, f.line, f.severity])).toEqual([
      ["cookie-without-secure", 7, "medium"],
      ["cookie-without-httponly", 7, "medium"],
      ["cookie-without-samesite", 7, "low"],
      ["cookie-without-httponly", 8, "low"],
    ]);
    expect(findings[0]!.evidence).toBe("set-cookie: session_id=9f8e…; Path=/");
    expect(JSON.stringify(findings)).not.toContain("9f8e7d6c5b4a39281706");
  });

  it("reads curl -v output and every response in it", () => {
    const text = [
      "> GET / HTTP/1.1",
      "> Host: acme.io",
      ">",
      "< HTTP/1.1 301 Moved Permanently",
      "< Location: https://acme.io/",
      "< Content-Type: text/html",
      "<",
      ...GOOD,
    ].join("\n");
    const { responses, findings } = check(text);
    expect(responses).toBe(2);
    expect(findings.every((f) => f.line === 4)).toBe(true);
  });

  it("recognises a header block pasted without its status line, but not YAML", () => {
    expect(rules("Content-Type: text/html\nCache-Control: no-store\nX-Content-Type-Options: nosniff")).toContain("missing-hsts@1");
    expect(check("name: api\nserver: prod-1\nport: 8080").responses).toBe(0);
  });
});
