import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, rest, signUpAccount, trpcQuery } from "@bizbot/testing";
import { startTestApp, testEnv } from "../../test/harness.ts";
import { createLogger } from "../log.ts";
import type { App } from "../main.ts";

const lines: Array<Record<string, unknown>> = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

let app: App;
beforeAll(async () => {
  app = await startTestApp({}, { log: createLogger("debug", sink) });
});
afterAll(() => app?.close());

describe("operational endpoints", () => {
  it("answers liveness and readiness", async () => {
    expect(await rest(app.url, "GET", "/health")).toMatchObject({ status: 200, body: { status: "ok" } });
    const ready = await rest<{ database: string; redis: string }>(app.url, "GET", "/ready");
    expect(ready.status).toBe(200);
    expect(ready.body.database).toBe("up");
    expect(ready.body.redis).toBe(process.env.REDIS_URL ? "up" : "embedded");
  });

  it("exposes request durations by route and status, and process metrics", async () => {
    await rest(app.url, "GET", "/v1/tenant");
    await rest(app.url, "GET", "/v1/tenant/../../etc/passwd");
    const res = await fetch(`${app.url}/metrics`);
    const text = await res.text();
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/v1\/tenant",status="401"\} \d+/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/health",status="200"\}/);
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
    // Unknown paths share one label, so junk cannot blow up the series count.
    expect(text).not.toContain("passwd");
  });

  it("gives every request an id, echoed in a header and carried by every log line written while serving it", async () => {
    const account = await signUpAccount(app.url);
    const res = await fetch(`${app.url}/trpc/keys.list`, { headers: { ...bearer(account.token), "x-request-id": "req-test-123" } });
    expect(res.headers.get("x-request-id")).toBe("req-test-123");
    const generated = await fetch(`${app.url}/health`);
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const line = lines.find((l) => l.reqId === "req-test-123");
    expect(line).toMatchObject({ msg: "request", route: "/trpc/keys.list", status: 200 });
    // A hostile id is replaced, not logged.
    const hostile = await fetch(`${app.url}/health`, { headers: { "x-request-id": `../../etc; rm -rf /${"z".repeat(100)}` } });
    expect(hostile.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("documents /v1 in OpenAPI 3.1 from the same procedures", async () => {
    const doc = await rest<{
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, { schema: Record<string, unknown> }> }> }>>;
    }>(app.url, "GET", "/v1/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe("3.1.0");
    const op = doc.body.paths["/tenant"]!.get!;
    expect(op.responses["200"]!.content["application/json"]!.schema).toMatchObject({
      type: "object",
      properties: { id: { type: "string" }, name: { type: "string" }, mode: { enum: ["test", "live"] } },
    });
    expect(op.responses).toHaveProperty("401");
  });
});

describe("failures", () => {
  it("reports 503 on /ready and a bare 500 elsewhere when the database is down, with no internals", async () => {
    const doomedLines: Array<Record<string, unknown>> = [];
    const doomedSink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split("\n").filter(Boolean)) doomedLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const doomed = await startTestApp({}, { log: createLogger("info", doomedSink) });
    const account = await signUpAccount(doomed.url);
    await doomed.deps.database.close();
    const ready = await rest<{ database: string }>(doomed.url, "GET", "/ready");
    expect(ready.status).toBe(503);
    expect(ready.body.database).toBe("down");
    // A fresh key is not cached, so verification needs the dead database.
    const res = await rest<{ error: { code: string; message: string } }>(doomed.url, "GET", "/v1/tenant", { headers: bearer(`sk_live_${"b".repeat(39)}`) });
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: "internal", message: "Internal server error" } });
    const trpc = await trpcQuery(doomed.url, "keys.list", { headers: { ...bearer(account.token), "x-request-id": "doomed-1" } });
    expect(trpc.status).toBe(500);
    // The failure is logged in full on the server, under the request's id, and only there.
    expect(doomedLines.filter((l) => l.reqId === "doomed-1").map((l) => l.msg)).toEqual(["procedure failed", "request"]);
    expect(JSON.stringify(trpc.error)).not.toMatch(/stack|pool|pglite|select|closed/i);
    await doomed.server.close();
    doomed.deps.redis?.disconnect();
  });

  it("finishes requests in flight when shutting down, and then refuses new connections", async () => {
    const closing = await startTestApp();
    const slowPath = closing.url;
    // Hold a request open: a body that arrives slowly.
    const controller = new AbortController();
    const body = new ReadableStream({
      async start(stream) {
        stream.enqueue(new TextEncoder().encode('{"email":"someone@example.com",'));
        await new Promise((r) => setTimeout(r, 300));
        stream.enqueue(new TextEncoder().encode('"password":"wrong password 123"}'));
        stream.close();
      },
    });
    const inFlight = fetch(`${slowPath}/trpc/auth.signIn`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      duplex: "half",
      signal: controller.signal,
    } as RequestInit);
    await new Promise((r) => setTimeout(r, 100));
    const closed = closing.close(5_000);
    const res = await inFlight;
    expect(res.status).toBe(401);
    await closed;
    await expect(fetch(`${slowPath}/health`)).rejects.toThrow();
  });
});

describe("configuration", () => {
  it("refuses bad settings with one readable line each", () => {
    expect(() => testEnv({ PORT: "eighty", DATABASE_URL: "mysql://x", LOG_LEVEL: "loud" })).toThrowError(
      /Invalid configuration:\n {2}PORT: .*\n {2}DATABASE_URL: must start with postgres:\/\/ or postgresql:\/\/.*\n {2}LOG_LEVEL: /,
    );
  });
});
