import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { bearer, rest, signUpAccount, trpcMutation, trpcQuery, type TestAccount } from "@bizbot/testing";
import { dumpDatabase, startTestApp } from "../../test/harness.ts";
import type { App } from "../main.ts";
import type { CreatedKey, KeySummary } from "./service.ts";

let app: App;
let account: TestAccount;

beforeAll(async () => {
  app = await startTestApp();
  account = await signUpAccount(app.url, { allowedOrigins: ["https://shop.example.com", "https://*.shop.example.com"] });
});
afterAll(() => app?.close());

const session = () => bearer(account.token);

async function createKey(input: Record<string, unknown>) {
  const res = await trpcMutation<CreatedKey>(app.url, "keys.create", { input, headers: session() });
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return res.data!;
}

describe("API keys", () => {
  it("creates keys of the documented shape, shows them once and lists them without the secret", async () => {
    const key = await createKey({ kind: "secret", mode: "test", name: "CI server" });
    expect(key.key).toMatch(/^sk_test_[a-z2-7]{39}$/);
    expect(key.prefix).toBe(key.key.slice(0, 12));

    const list = await trpcQuery<KeySummary[]>(app.url, "keys.list", { headers: session() });
    const listed = list.data!.find((k) => k.id === key.id)!;
    expect(listed).toMatchObject({ kind: "secret", mode: "test", name: "CI server", prefix: key.prefix, revokedAt: null });
    expect(JSON.stringify(list.data)).not.toContain(key.key);
    // Sign-up made a test and a live pair.
    expect(
      list
        .data!.filter((k) => k.id !== key.id)
        .map((k) => `${k.kind}:${k.mode}`)
        .sort(),
    ).toEqual(["publishable:live", "publishable:test", "secret:live", "secret:test"]);
  });

  it("carries at least 128 random bits: no two of many keys share a body", async () => {
    const { generateKey } = await import("./format.ts");
    const bodies = new Set(Array.from({ length: 2000 }, () => generateKey("secret", "live").key.slice(8)));
    expect(bodies.size).toBe(2000);
    // 39 base32 characters hold 195 bits; the key is drawn from 24 bytes (192 bits).
    expect([...bodies][0]!.length * 5).toBeGreaterThanOrEqual(192);
  });

  it("never stores a secret key in clear anywhere in the database", async () => {
    const extra = await createKey({ kind: "secret", mode: "live" });
    const dump = await dumpDatabase(app.deps.db);
    for (const secret of [account.keys.live.secret.key, account.keys.test.secret.key, extra.key]) {
      expect(dump).not.toContain(secret);
      // Not even the part after the visible prefix.
      expect(dump).not.toContain(secret.slice(12));
    }
    expect(dump).not.toContain(account.token);
  });

  it("answers the calling key's tenant on GET /v1/tenant", async () => {
    const res = await rest(app.url, "GET", "/v1/tenant", { headers: bearer(account.keys.live.secret.key) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: account.tenant.id, name: account.tenant.name, mode: "live" });
    const test = await rest(app.url, "GET", "/v1/tenant", { headers: bearer(account.keys.test.secret.key) });
    expect(test.body).toMatchObject({ mode: "test" });
  });

  it("gives 401 to missing, wrong, malformed, revoked and expired keys", async () => {
    const revoked = await createKey({ kind: "secret", mode: "live" });
    expect((await trpcMutation(app.url, "keys.revoke", { input: { id: revoked.id }, headers: session() })).status).toBe(200);
    const expiring = await createKey({ kind: "secret", mode: "live", expiresInDays: 1 });
    await app.deps.db.updateTable("api_keys").set({ expires_at: sql<Date>`now() - interval '1 second'` }).where("id", "=", expiring.id).execute();
    // The verifier may hold the key in its cache with its old expiry; roll-over and revocation invalidate, a
    // direct database edit does not, so drop it as an operator tool would.
    await app.deps.keyVerifier.invalidate(
      (await app.deps.db.selectFrom("api_keys").select("hash").where("id", "=", expiring.id).executeTakeFirstOrThrow()).hash,
    );

    const cases: Array<[string, Record<string, string>]> = [
      ["missing", {}],
      ["wrong", bearer(`sk_live_${"a".repeat(39)}`)],
      ["malformed", bearer("sk_live_short")],
      ["not bearer", { authorization: `Basic ${account.keys.live.secret.key}` }],
      ["revoked", bearer(revoked.key)],
      ["expired", bearer(expiring.key)],
    ];
    for (const [label, headers] of cases) {
      const res = await rest<{ error: { code: string } }>(app.url, "GET", "/v1/tenant", { headers });
      expect(res.status, label).toBe(401);
      expect(["unauthenticated", "invalid_api_key"], label).toContain(res.body.error.code);
    }
  });

  it("keeps an expiring key working until its expiry", async () => {
    const key = await createKey({ kind: "secret", mode: "live", expiresInDays: 1 });
    expect((await rest(app.url, "GET", "/v1/tenant", { headers: bearer(key.key) })).status).toBe(200);
  });

  it("refuses a publishable key on tenant and member procedures", async () => {
    const pk = account.keys.live.publishable.key;
    const tenantCall = await rest<{ error: { code: string } }>(app.url, "GET", "/v1/tenant", { headers: bearer(pk) });
    expect(tenantCall.status).toBe(403);
    expect(tenantCall.body.error.code).toBe("forbidden");
    expect((await trpcQuery(app.url, "tenant.get", { headers: bearer(pk) })).status).toBe(403);
    for (const path of ["keys.list", "tenant.current", "auth.me"]) {
      const res = await trpcQuery(app.url, path, { headers: bearer(pk) });
      expect(res.status, path).toBe(401);
    }
    const create = await trpcMutation(app.url, "keys.create", { input: { kind: "secret", mode: "live" }, headers: bearer(pk) });
    expect(create.status).toBe(401);
    // Nor in the widget's own header on a tenant procedure.
    expect((await rest(app.url, "GET", "/v1/tenant", { headers: { "x-bizbot-key": pk } })).status).toBe(401);
  });

  it("refuses a secret key on member procedures and in the widget header", async () => {
    const sk = account.keys.live.secret.key;
    expect((await trpcQuery(app.url, "keys.list", { headers: bearer(sk) })).status).toBe(401);
    const widget = await trpcQuery(app.url, "widget.config", { headers: { "x-bizbot-key": sk, origin: "https://shop.example.com" } });
    expect(widget.status).toBe(403);
  });

  it("checks the widget's Origin against the publishable key; a refused page may read why, and nothing else", async () => {
    const pk = account.keys.live.publishable.key;
    for (const origin of ["https://shop.example.com", "https://eu.shop.example.com"]) {
      const ok = await trpcQuery<{ tenant: { name: string } }>(app.url, "widget.config", { headers: { "x-bizbot-key": pk, origin } });
      expect(ok.status, origin).toBe(200);
      expect(ok.data!.tenant.name).toBe(account.tenant.name);
      expect(ok.headers.get("access-control-allow-origin")).toBe(origin);
    }
    for (const origin of ["https://evil.example.com", "https://shop.example.com.evil.io", "http://shop.example.com", "null"]) {
      const res = await trpcQuery(app.url, "widget.config", { headers: { "x-bizbot-key": pk, origin } });
      expect(res.status, origin).toBe(403);
      expect(res.error!.data.reason).toBe("origin_not_allowed");
      // Readable, so that the widget can say "not enabled for this website"; the body is the refusal alone.
      expect(res.headers.get("access-control-allow-origin")).toBe(origin);
      expect(JSON.stringify(res.error)).not.toContain(account.tenant.name);
    }
    const wrongKey = await trpcQuery(app.url, "widget.config", { headers: { "x-bizbot-key": `${pk.slice(0, -4)}AAAA`, origin: "https://evil.example.com" } });
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.headers.get("access-control-allow-origin")).toBe("https://evil.example.com");
    expect(wrongKey.headers.get("vary")).toMatch(/\borigin\b/i);
    // A batch with any other tier's procedure is never readable by a page, whatever its credentials.
    const mixed = await fetch(`${app.url}/trpc/widget.config,credits.account?batch=1`, {
      headers: { "x-bizbot-key": pk, authorization: `Bearer ${account.keys.live.secret.key}`, origin: "https://shop.example.com" },
    });
    expect(await mixed.text()).toContain("balance");
    expect(mixed.headers.get("access-control-allow-origin")).toBeNull();
    const noOrigin = await trpcQuery(app.url, "widget.config", { headers: { "x-bizbot-key": pk } });
    expect(noOrigin.status).toBe(403);
  });

  it("grants a CORS preflight for widget procedures only", async () => {
    const preflight = (path: string) =>
      fetch(`${app.url}/trpc/${path}`, {
        method: "OPTIONS",
        headers: { origin: "https://shop.example.com", "access-control-request-method": "GET", "access-control-request-headers": "x-bizbot-key" },
      });
    const widget = await preflight("widget.config");
    expect(widget.status).toBe(204);
    expect(widget.headers.get("access-control-allow-origin")).toBe("https://shop.example.com");
    expect(widget.headers.get("access-control-allow-headers")).toContain("x-bizbot-key");
    for (const path of ["keys.create", "widget.config,keys.list", "auth.signIn", "nope"]) {
      const res = await preflight(path);
      expect(res.headers.get("access-control-allow-origin"), path).toBeNull();
    }
  });

  it("rolls a key: the new one works, the old one stops at once or after its grace period", async () => {
    const old = await createKey({ kind: "secret", mode: "live", name: "rolled" });
    const rolled = await trpcMutation<{ created: CreatedKey; old: KeySummary }>(app.url, "keys.roll", { input: { id: old.id }, headers: session() });
    expect(rolled.status).toBe(200);
    expect(rolled.data!.created.name).toBe("rolled");
    expect(rolled.data!.old.revokedAt).not.toBeNull();
    expect((await rest(app.url, "GET", "/v1/tenant", { headers: bearer(old.key) })).status).toBe(401);
    expect((await rest(app.url, "GET", "/v1/tenant", { headers: bearer(rolled.data!.created.key) })).status).toBe(200);

    const graced = await createKey({ kind: "secret", mode: "live" });
    const later = await trpcMutation<{ created: CreatedKey; old: KeySummary }>(app.url, "keys.roll", {
      input: { id: graced.id, graceSeconds: 3600 },
      headers: session(),
    });
    expect(later.data!.old.revokedAt).toBeNull();
    expect(Date.parse(later.data!.old.expiresAt!)).toBeGreaterThan(Date.now() + 3500_000);
    expect((await rest(app.url, "GET", "/v1/tenant", { headers: bearer(graced.key) })).status).toBe(200);

    const again = await trpcMutation(app.url, "keys.roll", { input: { id: old.id }, headers: session() });
    expect(again.status).toBe(400);
  });

  it("refuses allowed origins on a secret key", async () => {
    const res = await trpcMutation(app.url, "keys.create", {
      input: { kind: "secret", mode: "live", allowedOrigins: ["https://x.example.com"] },
      headers: session(),
    });
    expect(res.status).toBe(400);
    expect(res.error!.data.fields).toHaveProperty("allowedOrigins");
  });

  it("writes every key action to the audit log, in the same transaction", async () => {
    const key = await createKey({ kind: "publishable", mode: "live", allowedOrigins: ["https://a.example.com"] });
    await trpcMutation(app.url, "keys.revoke", { input: { id: key.id }, headers: session() });
    const rolled = await createKey({ kind: "secret", mode: "test" });
    await trpcMutation(app.url, "keys.roll", { input: { id: rolled.id }, headers: session() });
    const entries = await app.deps.db
      .selectFrom("audit_log")
      .select(["action", "target_id", "actor_type", "actor_id"])
      .where("tenant_id", "=", account.tenant.id)
      .where("target_id", "in", [key.id, rolled.id])
      .orderBy("id")
      .execute();
    expect(entries.map((e) => `${e.action}:${e.target_id === key.id ? "pk" : "sk"}`)).toEqual([
      "api_key.created:pk",
      "api_key.revoked:pk",
      "api_key.created:sk",
      "api_key.rolled:sk",
    ]);
    expect(entries.every((e) => e.actor_type === "user" && e.actor_id === account.user.id)).toBe(true);

    // A key action that fails after its insert leaves neither the key nor its audit row behind.
    const { insertNewKey } = await import("./service.ts");
    const before = await app.deps.db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    await expect(
      app.deps.db.transaction().execute(async (trx) => {
        await insertNewKey(trx, { type: "system", id: null }, account.tenant.id, { kind: "secret", mode: "live", name: "doomed" });
        throw new Error("fails after the insert");
      }),
    ).rejects.toThrow("fails after the insert");
    const after = await app.deps.db
      .selectFrom("audit_log")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(await app.deps.db.selectFrom("api_keys").select("id").where("name", "=", "doomed").execute()).toEqual([]);
  });

  it("records last use at most once a minute per key", async () => {
    const key = await createKey({ kind: "secret", mode: "live" });
    for (let i = 0; i < 5; i++) expect((await rest(app.url, "GET", "/v1/tenant", { headers: bearer(key.key) })).status).toBe(200);
    const readLastUsed = async () =>
      (await app.deps.db.selectFrom("api_keys").select("last_used_at").where("id", "=", key.id).executeTakeFirstOrThrow()).last_used_at;
    await expect.poll(readLastUsed).not.toBeNull();
    const first = (await readLastUsed())!.getTime();
    for (let i = 0; i < 5; i++) await rest(app.url, "GET", "/v1/tenant", { headers: bearer(key.key) });
    await new Promise((r) => setTimeout(r, 100));
    expect((await readLastUsed())!.getTime()).toBe(first);
  });
});
