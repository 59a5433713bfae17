import { describe, expect, it } from "vitest";
import { signatureOf } from "./signature.ts";

describe("signatureOf", () => {
  it("gives one signature to one error whatever its ids, numbers and time", () => {
    const lines = [
      "2024-05-01T12:00:01Z ERROR order 1842 failed for user 7f3c9a1e-2b4d-4e8f-9a0b-1c2d3e4f5a6b: upstream 10.0.3.17:8443 refused (req_8Hk2Lq9xZ)",
      "2024-05-01T12:07:44Z ERROR order 99 failed for user 0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e: upstream 10.0.3.18:8443 refused (req_Q1w2E3r4T)",
    ];
    const [a, b] = lines.map(signatureOf);
    expect(a).toBe(b);
    expect(a).toBe("ERROR order <n> failed for user <uuid>: upstream <ip> refused (<id>)");
  });

  it("replaces hex, quoted strings and e-mail addresses", () => {
    expect(signatureOf("FATAL segfault at 0x7ffd3a2b in worker 'billing-7' for \"ann@example.com\" commit 9f86d081884c")).toBe(
      "FATAL segfault at <hex> in worker '<str>' for \"<str>\" commit <hex>",
    );
    expect(signatureOf("ERROR mail to ann@example.com bounced")).toBe("ERROR mail to <email> bounced");
    expect(signatureOf("ERROR upstream fe80::1ff:fe23:4567:890a unreachable")).toBe("ERROR upstream <ip> unreachable");
  });

  it("keeps apostrophes, and short words with digits as words", () => {
    expect(signatureOf("ERROR can't decode base64 payload in 'orders' for user42")).toBe("ERROR can't decode base<n> payload in '<str>' for user<n>");
    expect(signatureOf("ERROR can't decode base64 payload in 'items' for user7")).toBe("ERROR can't decode base<n> payload in '<str>' for user<n>");
  });

  it("brings access-log lines down to method, path and status", () => {
    const a = signatureOf('10.0.0.1 - - [01/May/2024:12:00:00 +0000] "GET /api/orders/1842?expand=items HTTP/1.1" 503 91 "-" "curl/8.0"');
    const b = signatureOf('10.0.0.9 - bob [01/May/2024:12:00:09 +0000] "GET /api/orders/77 HTTP/2.0" 503 0 "-" "Mozilla/5.0"');
    expect(a).toBe("GET /api/orders/<n> <n>");
    expect(b).toBe(a);
  });

  it("takes a JSON line's message and error", () => {
    expect(
      signatureOf('{"level":"error","time":"2024-05-01T12:00:00Z","msg":"payment failed for order 42","err":{"message":"card_declined","type":"StripeError"}}'),
    ).toBe("payment failed for order <n>: card_declined");
  });

  it("takes a logfmt line's message and error", () => {
    expect(signatureOf('ts=2024-05-01T12:00:00Z level=error msg="db query failed after 3012ms" error="pq: too many connections" req_id=ab12cd34ef')).toBe(
      "db query failed after <n>ms: pq: too many connections",
    );
  });

  it("falls back to the whole line when a brace is not JSON", () => {
    expect(signatureOf("ERROR template {name} missing}")).toBe("ERROR template {name} missing}");
  });

  it("never carries a credential", () => {
    const signature = signatureOf("ERROR auth failed password=hunter2 Authorization: Bearer abcdefghijklmnop postgres://app:s3cret@db:5432/app");
    expect(signature).not.toMatch(/hunter2|abcdefghijklmnop|s3cret/);
    expect(signature).toContain("<redacted>");
  });

  it("cuts a very long line", () => {
    const signature = signatureOf(`ERROR ${"very long message ".repeat(40)}`);
    expect(signature.length).toBe(200);
    expect(signature.endsWith("…")).toBe(true);
  });
});
