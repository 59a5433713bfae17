import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, signUpAccount, trpcMutation, trpcQuery, trpcSubscription, type TestAccount } from "@bizbot/testing";
import { rowCounts, startTestApp } from "../../test/harness.ts";
import { flatProcedures } from "../http/rest.ts";
import type { App } from "../main.ts";
import type { Meta, Tier } from "./init.ts";
import { appRouter } from "./router.ts";

let app: App;
let owner: TestAccount;
let admin: TestAccount;
let member: TestAccount;

/** The token of the newest invitation e-mailed to `email`, from the outbox. */
async function invitationToken(email: string): Promise<string> {
  const row = await app.deps.db
    .selectFrom("notification_outbox")
    .select("payload")
    .where("target", "=", email)
    .where("kind", "=", "team.invitation")
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
  return /invite=([a-z2-7]{32})/.exec((row.payload as { text: string }).text)![1]!;
}

/** `account` joins the owner's team with `role`, as people do: invited by the owner, then accepting. */
async function joinTeam(account: TestAccount, role: "admin" | "member") {
  await trpcMutation(app.url, "team.invite", { input: { email: account.email, role }, headers: bearer(owner.token) });
  const accepted = await trpcMutation(app.url, "team.accept", { input: { token: await invitationToken(account.email) }, headers: bearer(account.token) });
  expect(accepted.status, JSON.stringify(accepted.error)).toBe(200);
}

beforeAll(async () => {
  app = await startTestApp();
  owner = await signUpAccount(app.url, { tenantName: "Roles Inc" });
  admin = await signUpAccount(app.url);
  member = await signUpAccount(app.url);
  await joinTeam(admin, "admin");
  await joinTeam(member, "member");
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

  it("lets owners and admins manage keys; members only read them, never whole", async () => {
    expect((await trpcQuery(app.url, "keys.list", { headers: as(admin) })).status).toBe(200);
    expect((await trpcMutation(app.url, "keys.create", { input: { kind: "secret", mode: "test" }, headers: as(admin) })).status).toBe(200);
    const listed = await trpcQuery<Array<{ prefix: string }>>(app.url, "keys.list", { headers: as(member) });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.data)).not.toMatch(/sk_(live|test)_[a-z2-7]{30,}/);
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

describe("what a member may change", () => {
  const procedures = Object.entries(flatProcedures(appRouter)).map(([path, p]) => ({
    path,
    type: p._def.type as "query" | "mutation" | "subscription",
    tier: (p._def.meta as Meta).tier,
  }));
  /** Tiers that take a session: there, a member's is refused with 403. Other tiers refuse a session outright (401). */
  const sessionTiers: Tier[] = ["user", "member", "admin", "owner", "tenant-or-member", "tenant-or-admin"];
  /**
   * The only calls that may change something which a member may make: their own session, their own membership
   * (accepting an invitation, leaving: team.remove of anyone else is refused, tested below), and two reads that travel
   * as a POST or a stream. Public procedures (sign-up, sign-in) act on no tenant, so a role has no say in them.
   */
  const memberMayCall = ["auth.signOut", "team.accept", "team.remove", "knowledge.search", "agents.events"];

  it("refuses a member every mutation and stream but the few allowed, and writes nothing", async () => {
    const writes = procedures.filter((p) => p.type !== "query" && p.tier !== "public" && !memberMayCall.includes(p.path));
    expect(writes.length).toBeGreaterThan(10);
    const before = await rowCounts(app.deps.db);
    for (const p of writes) {
      // No input: the tier is checked before the input, so a tier that let a member through answers 400, not 403.
      const options = { headers: as(member) };
      const res = p.type === "subscription" ? await trpcSubscription(app.url, p.path, options) : await trpcMutation(app.url, p.path, options);
      if (sessionTiers.includes(p.tier)) expect(res.status, `${p.path} (${p.tier})`).toBe(403);
      else expect([401, 403], `${p.path} (${p.tier})`).toContain(res.status);
    }
    expect(await rowCounts(app.deps.db)).toEqual(before);
  });

  it("lets a member leave, and remove no one else", async () => {
    const leaver = await signUpAccount(app.url);
    await joinTeam(leaver, "member");
    expect((await trpcMutation(app.url, "team.remove", { input: { userId: admin.user.id }, headers: as(member) })).status).toBe(403);
    expect((await trpcMutation(app.url, "team.remove", { input: { userId: leaver.user.id }, headers: as(member) })).status).toBe(403);
    expect((await trpcMutation(app.url, "team.remove", { input: { userId: leaver.user.id }, headers: as(leaver) })).status).toBe(200);
    expect((await trpcQuery(app.url, "tenant.current", { headers: as(leaver) })).status).toBe(403);
  });

  it("keeps the team to owners: an admin can neither invite, revoke, change roles nor remove anyone else", async () => {
    const invited = await trpcMutation<{ id: string }>(app.url, "team.invite", {
      input: { email: "pending@example.test", role: "member" },
      headers: as(owner),
    });
    const refused = {
      "team.invite": { email: "another@example.test", role: "admin" },
      "team.revokeInvitation": { id: invited.data!.id },
      "team.changeRole": { userId: member.user.id, role: "admin" },
      "team.remove": { userId: member.user.id },
    };
    const before = await rowCounts(app.deps.db);
    for (const [path, input] of Object.entries(refused)) {
      const res = await trpcMutation(app.url, path, { input, headers: as(admin) });
      expect(res.status, path).toBe(403);
      expect(res.error!.data.reason, path).toBe("forbidden");
    }
    // Nor make themselves owner.
    expect((await trpcMutation(app.url, "team.changeRole", { input: { userId: admin.user.id, role: "owner" }, headers: as(admin) })).status).toBe(403);
    expect(await rowCounts(app.deps.db)).toEqual(before);
    const team = await trpcQuery<{ members: Array<{ userId: string; role: string }>; invitations: Array<{ id: string }> }>(app.url, "team.list", {
      headers: as(admin),
    });
    expect(team.data!.members.find((m) => m.userId === member.user.id)?.role).toBe("member");
    expect(team.data!.invitations.map((i) => i.id)).toContain(invited.data!.id);
  });
});
