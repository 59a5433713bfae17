import { bearer, signUpAccount, trpcQuery, type TestAccount } from "@bizbot/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../../test/harness.ts";
import type { App } from "../main.ts";
import { encodeAuditCursor } from "../trpc/routers/audit/schemas.ts";
import type { AuditEntryView } from "./listing.ts";
import { insertAudit, type Actor } from "./repository.ts";

interface Page {
  entries: AuditEntryView[];
  nextCursor: string | null;
}

let app: App;
let a: TestAccount;
let b: TestAccount;
beforeAll(async () => {
  app = await startTestApp();
  a = await signUpAccount(app.url, { tenantName: "Audit A" });
  b = await signUpAccount(app.url, { tenantName: "Audit B" });
  const actors: Actor[] = [
    { type: "user", id: a.user.id, ip: "203.0.113.7" },
    { type: "api_key", id: a.keys.live.secret.id, ip: "192.0.2.1" },
    { type: "system", id: null },
  ];
  await app.deps.db.transaction().execute(async (trx) => {
    for (let i = 0; i < 30; i++) {
      await insertAudit(trx, actors[i % 3]!, {
        tenantId: a.tenant.id,
        action: i % 2 ? "test.odd" : "test.even",
        target: { type: "thing", id: `thing_${i}` },
        metadata: { i },
      });
    }
    await insertAudit(trx, { type: "user", id: b.user.id }, { tenantId: b.tenant.id, action: "test.only_b", metadata: { secret: "B's" } });
    await insertAudit(trx, { type: "user", id: a.user.id }, { tenantId: null, action: "test.no_tenant" });
  });
});
afterAll(() => app?.close());

const list = (account: TestAccount, input: Record<string, unknown> = {}) => trpcQuery<Page>(app.url, "audit.list", { input, headers: bearer(account.token) });

async function everyPage(account: TestAccount, input: Record<string, unknown>): Promise<{ entries: AuditEntryView[]; pages: number }> {
  const entries: AuditEntryView[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await list(account, { ...input, ...(cursor ? { cursor } : {}) });
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    entries.push(...res.data!.entries);
    cursor = res.data!.nextCursor;
    pages++;
  } while (cursor);
  return { entries, pages };
}

const storedIds = async (tenantId: string) =>
  (await app.deps.db.selectFrom("audit_log").select("id").where("tenant_id", "=", tenantId).orderBy("id", "desc").execute()).map((r) => String(r.id));

describe("audit.list", () => {
  it("pages through every entry of the tenant, newest first, each once", async () => {
    const { entries, pages } = await everyPage(a, { limit: 7 });
    const expected = await storedIds(a.tenant.id);
    expect(expected.length).toBeGreaterThan(30);
    expect(entries.map((e) => e.id)).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 7));
    const ids = entries.map((e) => BigInt(e.id));
    expect(ids.every((id, i) => i === 0 || id < ids[i - 1]!)).toBe(true);
  });

  it("shows who did what to what, with the e-mail of user actors", async () => {
    const { entries } = await everyPage(a, { action: "test.odd", limit: 100 });
    const byUser = entries.find((e) => e.actorType === "user")!;
    expect(byUser).toMatchObject({ actorId: a.user.id, actorEmail: a.email, ip: "203.0.113.7", target: { type: "thing", id: expect.any(String) } });
    expect(byUser.metadata).toHaveProperty("i");
    expect(new Date(byUser.createdAt).toISOString()).toBe(byUser.createdAt);
    const byKey = entries.find((e) => e.actorType === "api_key")!;
    expect(byKey).toMatchObject({ actorId: a.keys.live.secret.id, actorEmail: null });
    expect(entries.find((e) => e.actorType === "system")).toMatchObject({ actorId: null, actorEmail: null, ip: null });
    // Sign-up's own entries name no target of this test, or a tenant and keys.
    const signUp = (await everyPage(a, { action: "tenant.created" })).entries;
    expect(signUp).toMatchObject([{ target: { type: "tenant", id: a.tenant.id } }]);
  });

  it("filters by action and by actor, across pages", async () => {
    const odd = await everyPage(a, { action: "test.odd", limit: 4 });
    expect(odd.entries).toHaveLength(15);
    expect(odd.entries.every((e) => e.action === "test.odd")).toBe(true);
    const byKey = await everyPage(a, { actorId: a.keys.live.secret.id, limit: 3 });
    expect(byKey.entries).toHaveLength(10);
    expect(byKey.entries.every((e) => e.actorId === a.keys.live.secret.id)).toBe(true);
    const both = await everyPage(a, { action: "test.odd", actorId: a.user.id, limit: 2 });
    expect(both.entries.map((e) => e.metadata.i)).toEqual([27, 21, 15, 9, 3]);
    expect((await list(a, { action: "no.such_action" })).data).toEqual({ entries: [], nextCursor: null });
  });

  it("never shows another tenant's entries, nor entries of no tenant", async () => {
    const all = (await everyPage(a, { limit: 100 })).entries;
    expect(all.some((e) => e.action === "test.only_b" || e.action === "test.no_tenant")).toBe(false);
    expect((await list(a, { action: "test.only_b" })).data!.entries).toEqual([]);
    expect((await list(a, { actorId: b.user.id })).data!.entries).toEqual([]);
    // A cursor from above B's newest entry pages A's entries only.
    const [bNewest] = await storedIds(b.tenant.id);
    const fromB = await list(a, { cursor: encodeAuditCursor(String(BigInt(bNewest!) + 1n)), limit: 100 });
    const ofB = await storedIds(b.tenant.id);
    expect(fromB.data!.entries.filter((e) => ofB.includes(e.id))).toEqual([]);
    // And B sees its own.
    expect((await list(b, { action: "test.only_b" })).data!.entries).toMatchObject([{ actorEmail: b.email, metadata: { secret: "B's" } }]);
  });

  it("refuses cursors it did not give", async () => {
    for (const cursor of ["not-a-cursor", Buffer.from("audit|x1").toString("base64url"), Buffer.from("conv|1").toString("base64url"), "MQ"]) {
      const res = await list(a, { cursor });
      expect(res.status, cursor).toBe(400);
      expect(res.error!.data.fields).toHaveProperty("cursor");
    }
  });
});

describe("audit.actions", () => {
  it("lists the tenant's distinct actions, sorted, and no other tenant's", async () => {
    const res = await trpcQuery<{ actions: string[] }>(app.url, "audit.actions", { headers: bearer(a.token) });
    expect(res.status).toBe(200);
    const stored = await app.deps.db.selectFrom("audit_log").select("action").distinct().where("tenant_id", "=", a.tenant.id).orderBy("action").execute();
    expect(res.data!.actions).toEqual(stored.map((r) => r.action));
    expect(res.data!.actions).toEqual(expect.arrayContaining(["api_key.created", "tenant.created", "test.even", "test.odd"]));
    expect(res.data!.actions).not.toContain("test.only_b");
    expect(res.data!.actions).not.toContain("test.no_tenant");
  });
});
