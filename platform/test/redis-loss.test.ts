import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, rest, signUpAccount, trpcMutation, trpcQuery, type TestAccount } from "@bizbot/testing";
import { debit, grant } from "../src/credits/service.ts";
import type { App } from "../src/main.ts";
import type { CreatedKey } from "../src/keys/service.ts";
import { needsServices, startTestApp } from "./harness.ts";

const hasRedisServer = spawnSync("redis-server", ["--version"]).status === 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Redis only accelerates: losing it mid-traffic must lose no money and break no invariant. The test runs its own
// Redis so that it can kill it.
describe.runIf(needsServices("losing Redis mid-traffic") && hasRedisServer)("losing Redis mid-traffic", () => {
  let redis: ChildProcess;
  let app: App;
  let account: TestAccount;

  beforeAll(async () => {
    const port = await freePort();
    redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    await new Promise((r) => setTimeout(r, 300));
    app = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${port}` });
    account = await signUpAccount(app.url, { allowedOrigins: ["https://shop.example.com"] });
    await grant(app.deps, { tenantId: account.tenant.id, idempotencyKey: "funds", actor: { type: "system", id: null } }, 300, "funds");
  });
  afterAll(async () => {
    redis?.kill("SIGKILL");
    await app?.close();
  });

  it("keeps every ledger entry and every invariant, and keeps serving", async () => {
    const tenantId = account.tenant.id;
    const call = (i: number) => ({ tenantId, idempotencyKey: `loss-${i}`, actor: { type: "system" as const, id: null } });
    const outcomes: string[] = [];
    const http: number[] = [];
    const traffic = async (from: number) => {
      for (let i = from; i < from + 100; i++) {
        outcomes.push(
          await debit(app.deps, call(i), 1, null).then(
            () => "ok",
            (e: { reason: string }) => e.reason,
          ),
        );
        if (i % 10 === 0) {
          http.push((await rest(app.url, "GET", "/v1/tenant", { headers: bearer(account.keys.live.secret.key) })).status);
          http.push(
            (await trpcQuery(app.url, "widget.config", { headers: { "x-bizbot-key": account.keys.live.publishable.key, origin: "https://shop.example.com" } }))
              .status,
          );
        }
      }
    };
    const running = Promise.all([traffic(0), traffic(1000), traffic(2000), traffic(3000)]);
    // Killed once some traffic has gone through, however slow the machine: a fixed delay saw none on a loaded one.
    while (outcomes.length < 20) await new Promise((r) => setTimeout(r, 5));
    redis.kill("SIGKILL");
    const atKill = outcomes.length;
    await running;
    // Traffic was under way on both sides of the kill.
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(400);

    expect(outcomes.filter((o) => o === "ok")).toHaveLength(300);
    expect(outcomes.filter((o) => o !== "ok").every((o) => o === "payment_required")).toBe(true);
    const books = await sql<{ balance: string; ledger: string; debits: string }>`
      select a.balance::text, (select coalesce(sum(delta), 0) from credit_ledger l where l.tenant_id = a.tenant_id)::text as ledger,
             (select count(*) from credit_ledger l where l.tenant_id = a.tenant_id and kind = 'debit')::text as debits
      from credit_accounts a where a.tenant_id = ${tenantId}`.execute(app.deps.db);
    expect(books.rows[0]).toEqual({ balance: "0", ledger: "0", debits: "300" });
    // Limits fell back (open for secret keys, local for visitors); nothing was refused or failed for lack of Redis.
    expect(http.every((s) => s === 200)).toBe(true);

    const ready = await rest<{ database: string; redis: string }>(app.url, "GET", "/ready");
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ database: "up", redis: "down" });

    // A revocation still takes effect at once: with the bus down, the key cache is bypassed.
    const key = await trpcMutation<CreatedKey>(app.url, "keys.create", { input: { kind: "secret", mode: "live" }, headers: bearer(account.token) });
    expect((await rest(app.url, "GET", "/v1/tenant", { headers: bearer(key.data!.key) })).status).toBe(200);
    expect((await trpcMutation(app.url, "keys.revoke", { input: { id: key.data!.id }, headers: bearer(account.token) })).status).toBe(200);
    expect((await rest(app.url, "GET", "/v1/tenant", { headers: bearer(key.data!.key) })).status).toBe(401);
  });
});
