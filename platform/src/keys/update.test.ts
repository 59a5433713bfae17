import { bearer, rest, signUpAccount, type TestAccount, trpcMutation } from "@bizbot/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { needsServices, rowCounts, startTestApp } from "../../test/harness.ts";
import type { App } from "../main.ts";
import type { CreatedKey, KeySummary } from "./service.ts";

const SHOP = "https://shop.example.com";
const BLOG = "https://blog.example.com";

/** GET /widget/config as a page on `origin` would ask it: the status says whether the key serves that page. */
const widgetConfig = async (app: App, key: string, origin: string) => (await fetch(`${app.url}/widget/config?key=${key}`, { headers: { origin } })).status;

describe("keys.update", () => {
  let app: App;
  let account: TestAccount;
  beforeAll(async () => {
    app = await startTestApp();
    account = await signUpAccount(app.url, { allowedOrigins: [SHOP] });
  });
  afterAll(() => app?.close());

  const update = (input: Record<string, unknown>) => trpcMutation<KeySummary>(app.url, "keys.update", { input, headers: bearer(account.token) });
  const create = async (input: Record<string, unknown>) =>
    (await trpcMutation<CreatedKey>(app.url, "keys.create", { input, headers: bearer(account.token) })).data!;

  it("adds an origin: the widget config answers a page there at once, though the key was cached", async () => {
    const pk = await create({ kind: "publishable", mode: "live", allowedOrigins: [SHOP] });
    // Both answers come from the verifier's cache after the first call.
    expect(await widgetConfig(app, pk.key, SHOP)).toBe(200);
    expect(await widgetConfig(app, pk.key, BLOG)).toBe(403);

    const res = await update({ id: pk.id, allowedOrigins: [SHOP, BLOG] });
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    expect(res.data!.allowedOrigins).toEqual([SHOP, BLOG]);
    expect(await widgetConfig(app, pk.key, BLOG)).toBe(200);
    expect(await widgetConfig(app, pk.key, SHOP)).toBe(200);
  });

  it("removes an origin: a page there is refused at once", async () => {
    const pk = await create({ kind: "publishable", mode: "live", allowedOrigins: [SHOP, BLOG] });
    expect(await widgetConfig(app, pk.key, BLOG)).toBe(200);
    expect((await update({ id: pk.id, allowedOrigins: [SHOP] })).status).toBe(200);
    expect(await widgetConfig(app, pk.key, BLOG)).toBe(403);
    expect(await widgetConfig(app, pk.key, SHOP)).toBe(200);
    // Emptied: no page at all.
    expect((await update({ id: pk.id, allowedOrigins: [] })).data!.allowedOrigins).toEqual([]);
    expect(await widgetConfig(app, pk.key, SHOP)).toBe(403);
  });

  it("renames any live key, and audits what changed", async () => {
    const sk = await create({ kind: "secret", mode: "test", name: "old" });
    const res = await update({ id: sk.id, name: "  CI deploys  " });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id: sk.id, name: "CI deploys", kind: "secret", prefix: sk.prefix, revokedAt: null });
    expect((await rest(app.url, "GET", "/v1/tenant", { headers: bearer(sk.key) })).status).toBe(200);

    const pk = await create({ kind: "publishable", mode: "live", allowedOrigins: [SHOP] });
    await update({ id: pk.id, name: "Storefront", allowedOrigins: [BLOG, SHOP, BLOG] });
    const audit = await app.deps.db
      .selectFrom("audit_log")
      .select(["action", "target_id", "actor_type", "actor_id", "metadata"])
      .where("tenant_id", "=", account.tenant.id)
      .where("action", "=", "api_key.updated")
      .where("target_id", "in", [sk.id, pk.id])
      .orderBy("id")
      .execute();
    expect(audit.map((a) => [a.target_id, a.metadata])).toEqual([
      [sk.id, { prefix: sk.prefix, name: { from: "old", to: "CI deploys" } }],
      [pk.id, { prefix: pk.prefix, name: { from: "", to: "Storefront" }, allowedOrigins: { added: [BLOG], removed: [] } }],
    ]);
    expect(audit.every((a) => a.actor_type === "user" && a.actor_id === account.user.id)).toBe(true);
  });

  it("writes nothing for a change to nothing", async () => {
    const pk = await create({ kind: "publishable", mode: "live", name: "same", allowedOrigins: [SHOP] });
    const before = await rowCounts(app.deps.db);
    const res = await update({ id: pk.id, name: "same", allowedOrigins: [SHOP] });
    expect(res.status).toBe(200);
    expect(res.data!.name).toBe("same");
    expect(await rowCounts(app.deps.db)).toEqual(before);
  });

  it("refuses origins on a secret key, and any edit of a revoked key, writing nothing", async () => {
    const sk = await create({ kind: "secret", mode: "live", name: "server" });
    const before = await rowCounts(app.deps.db);
    const origins = await update({ id: sk.id, name: "renamed", allowedOrigins: [SHOP] });
    expect(origins.status).toBe(400);
    expect(origins.error!.data.reason).toBe("invalid_input");
    expect(Object.keys(origins.error!.data.fields ?? {})).toEqual(["allowedOrigins"]);
    expect(await rowCounts(app.deps.db)).toEqual(before);

    const pk = await create({ kind: "publishable", mode: "live", name: "gone", allowedOrigins: [SHOP] });
    expect((await trpcMutation(app.url, "keys.revoke", { input: { id: pk.id }, headers: bearer(account.token) })).status).toBe(200);
    const afterRevoke = await rowCounts(app.deps.db);
    for (const input of [{ name: "back" }, { allowedOrigins: [SHOP, BLOG] }]) {
      const res = await update({ id: pk.id, ...input });
      expect(res.status, JSON.stringify(input)).toBe(409);
      expect(res.error!.data.reason).toBe("conflict");
    }
    expect(await rowCounts(app.deps.db)).toEqual(afterRevoke);
    expect(await widgetConfig(app, pk.key, BLOG)).toBe(401);
    expect((await app.deps.db.selectFrom("api_keys").select("name").where("id", "=", pk.id).executeTakeFirstOrThrow()).name).toBe("gone");
  });

  it("refuses bad origins with a field error, and unknown keys with 404", async () => {
    const pk = await create({ kind: "publishable", mode: "live", allowedOrigins: [SHOP] });
    const bad = await update({ id: pk.id, allowedOrigins: ["https://shop.example.com/path"] });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.error!.data.fields ?? {})).toEqual(["allowedOrigins.0"]);
    expect((await update({ id: `key_${"a".repeat(26)}`, name: "x" })).status).toBe(404);
  });

  it("needs an owner or admin", async () => {
    const pk = await create({ kind: "publishable", mode: "live", allowedOrigins: [SHOP] });
    const res = await trpcMutation(app.url, "keys.update", { input: { id: pk.id, name: "x" }, headers: bearer(account.keys.live.secret.key) });
    expect(res.status).toBe(401);
  });
});

// Two instances, each with its own key cache, as behind a load balancer: the change reaches the other one's cache
// over the bus, as a revocation does (revocation.test.ts). Embedded mode has one process, so this needs the services.
describe.runIf(needsServices("cross-instance key updates"))("keys.update across instances", () => {
  let a: App;
  let b: App;
  let account: TestAccount;
  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp();
    account = await signUpAccount(a.url, { allowedOrigins: [SHOP] });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  /** How long until instance B gives `want` for the page, polling; fails after two seconds. */
  async function until(key: string, origin: string, want: number): Promise<number> {
    const started = Date.now();
    while ((await widgetConfig(b, key, origin)) !== want) {
      if (Date.now() - started > 2_000) throw new Error(`instance B never answered ${want} for ${origin}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return Date.now() - started;
  }

  it("a second instance that cached the key sees added and removed origins within a second", async () => {
    const pk = (
      await trpcMutation<CreatedKey>(a.url, "keys.create", {
        input: { kind: "publishable", mode: "live", allowedOrigins: [SHOP] },
        headers: bearer(account.token),
      })
    ).data!;
    expect(await widgetConfig(b, pk.key, SHOP)).toBe(200);
    expect(await widgetConfig(b, pk.key, BLOG)).toBe(403);

    expect((await trpcMutation(a.url, "keys.update", { input: { id: pk.id, allowedOrigins: [SHOP, BLOG] }, headers: bearer(account.token) })).status).toBe(200);
    expect(await until(pk.key, BLOG, 200)).toBeLessThan(1_000);
    expect((await trpcMutation(a.url, "keys.update", { input: { id: pk.id, allowedOrigins: [BLOG] }, headers: bearer(account.token) })).status).toBe(200);
    expect(await until(pk.key, SHOP, 403)).toBeLessThan(1_000);
  });
});
