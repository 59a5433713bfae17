import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, signUpAccount, trpcMutation, trpcQuery, type TestAccount } from "@bizbot/testing";
import { startTestApp } from "../../test/harness.ts";
import type { App } from "../main.ts";

let app: App;
let owner: TestAccount;
let admin: TestAccount;
let member: TestAccount;

// Members are added directly until invitations exist; what is tested is what each role may do.
beforeAll(async () => {
  app = await startTestApp();
  owner = await signUpAccount(app.url, { tenantName: "Roles Inc" });
  admin = await signUpAccount(app.url);
  member = await signUpAccount(app.url);
  await app.deps.db
    .insertInto("memberships")
    .values([
      { tenant_id: owner.tenant.id, user_id: admin.user.id, role: "admin" },
      { tenant_id: owner.tenant.id, user_id: member.user.id, role: "member" },
    ])
    .execute();
});
afterAll(() => app?.close());

const as = (account: TestAccount) => ({ ...bearer(account.token), "x-bizbot-tenant": owner.tenant.id });

describe("roles", () => {
  it("lets every member read the tenant, and sees each one's role", async () => {
    for (const [account, role] of [
      [owner, "owner"],
      [admin, "admin"],
      [member, "member"],
    ] as const) {
      const res = await trpcQuery<{ name: string; role: string }>(app.url, "tenant.current", { headers: as(account) });
      expect(res.data).toMatchObject({ name: "Roles Inc", role });
    }
  });

  it("lets owners and admins manage keys, not members", async () => {
    expect((await trpcQuery(app.url, "keys.list", { headers: as(admin) })).status).toBe(200);
    expect((await trpcMutation(app.url, "keys.create", { input: { kind: "secret", mode: "test" }, headers: as(admin) })).status).toBe(200);
    expect((await trpcQuery(app.url, "keys.list", { headers: as(member) })).status).toBe(403);
    const refused = await trpcMutation(app.url, "keys.revoke", { input: { id: owner.keys.live.secret.id }, headers: as(member) });
    expect(refused.status).toBe(403);
    expect(refused.error!.data.reason).toBe("forbidden");
  });

  it("lets only the owner rename the tenant, and audits it", async () => {
    expect((await trpcMutation(app.url, "tenant.rename", { input: { name: "Nope" }, headers: as(admin) })).status).toBe(403);
    const renamed = await trpcMutation<{ name: string }>(app.url, "tenant.rename", { input: { name: "  Roles Ltd " }, headers: as(owner) });
    expect(renamed.data!.name).toBe("Roles Ltd");
    const audit = await app.deps.db
      .selectFrom("audit_log")
      .select(["action", "metadata"])
      .where("tenant_id", "=", owner.tenant.id)
      .where("action", "=", "tenant.renamed")
      .execute();
    expect(audit).toEqual([{ action: "tenant.renamed", metadata: { from: "Roles Inc", to: "Roles Ltd" } }]);
  });

  it("defaults to the oldest membership when no tenant is chosen", async () => {
    const res = await trpcQuery<{ id: string }>(app.url, "tenant.current", { headers: bearer(admin.token) });
    expect(res.data!.id).toBe(admin.tenant.id);
  });
});
