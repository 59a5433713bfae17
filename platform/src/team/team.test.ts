import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, signUpAccount, STRONG_PASSWORD, trpcMutation, trpcQuery, uniqueEmail, type CallResult, type TestAccount } from "@bizbot/testing";
import { rowCounts, startTestApp } from "../../test/harness.ts";
import type { App } from "../main.ts";
import type { InvitationPreview, InvitationView, MemberView } from "./service.ts";

const PORTAL = "https://portal.example.test";

let app: App;
beforeAll(async () => {
  app = await startTestApp({ PORTAL_URL: PORTAL });
});
afterAll(() => app?.close());

/** A session acting on `tenantId`. */
const on = (token: string, tenantId: string) => ({ ...bearer(token), "x-bizbot-tenant": tenantId });

interface Signed {
  token: string;
  user: { id: string; email: string };
  keys: unknown;
  tenant: { id: string; name: string };
  memberships: Array<{ tenantId: string; role: string }>;
}

/** The token in the newest invitation e-mail to `email`, read from the outbox as the mailer would send it. */
async function invitationToken(email: string): Promise<string> {
  const row = await app.deps.db
    .selectFrom("notification_outbox")
    .select("payload")
    .where("target", "=", email.toLowerCase())
    .where("kind", "=", "team.invitation")
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();
  return /signup\?invite=([a-z2-7]{32})/.exec((row.payload as { text: string }).text)![1]!;
}

async function invite(owner: TestAccount, email: string, role: "admin" | "member" = "member"): Promise<{ invitation: InvitationView; token: string }> {
  const res = await trpcMutation<InvitationView>(app.url, "team.invite", { input: { email, role }, headers: bearer(owner.token) });
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return { invitation: res.data!, token: await invitationToken(email) };
}

function signUpWith(email: string, invitation: string, extra: Record<string, unknown> = {}): Promise<CallResult<Signed>> {
  return trpcMutation<Signed>(app.url, "auth.signUp", { input: { email, password: STRONG_PASSWORD, invitation, ...extra } });
}

/** A new person on `owner`'s team with `role`, invited and signed up. */
async function join(owner: TestAccount, role: "admin" | "member"): Promise<Signed> {
  const email = uniqueEmail(role);
  const { token } = await invite(owner, email, role);
  const res = await signUpWith(email, token);
  expect(res.status, JSON.stringify(res.error)).toBe(200);
  return res.data!;
}

async function members(tenantId: string) {
  return app.deps.db.selectFrom("memberships").select(["user_id", "role"]).where("tenant_id", "=", tenantId).orderBy("created_at").execute();
}

async function auditActions(tenantId: string, action: string) {
  return app.deps.db
    .selectFrom("audit_log")
    .select(["actor_id", "target_id", "metadata"])
    .where("tenant_id", "=", tenantId)
    .where("action", "=", action)
    .orderBy("id")
    .execute();
}

describe("invitations", () => {
  it("e-mails a link, and a sign-up with it joins the tenant with the role, making no tenant", async () => {
    const owner = await signUpAccount(app.url, { tenantName: "Invite Co" });
    const email = uniqueEmail("new-admin");
    const res = await trpcMutation<InvitationView>(app.url, "team.invite", {
      input: { email: email.toUpperCase(), role: "admin" },
      headers: bearer(owner.token),
    });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ email, role: "admin", invitedBy: owner.email, expired: false });
    expect(res.data!.id).toMatch(/^inv_[a-z2-7]{26}$/);
    expect(new Date(res.data!.expiresAt).getTime() - Date.now()).toBeGreaterThan(7 * 86_400_000 - 60_000);

    // The e-mail waits in the outbox (written with the invitation), with both links; the token is stored only hashed.
    const mail = await app.deps.db.selectFrom("notification_outbox").selectAll().where("target", "=", email).executeTakeFirstOrThrow();
    expect(mail).toMatchObject({ tenant_id: owner.tenant.id, channel: "email", kind: "team.invitation", status: "pending" });
    const token = await invitationToken(email);
    const { subject, text } = mail.payload as { subject: string; text: string };
    expect(subject).toContain("Invite Co");
    expect(text).toContain(`${PORTAL}/signup?invite=${token}`);
    expect(text).toContain(`${PORTAL}/login?invite=${token}`);
    const stored = await app.deps.db.selectFrom("invitations").selectAll().where("id", "=", res.data!.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);

    // Anyone with the link sees what it is for, without signing in.
    const preview = await trpcQuery<InvitationPreview>(app.url, "team.invitation", { input: { token } });
    expect(preview.data).toEqual({ tenantName: "Invite Co", email, role: "admin", invitedBy: owner.email, expiresAt: res.data!.expiresAt });

    const before = await rowCounts(app.deps.db);
    const signedUp = await signUpWith(email.toUpperCase(), token);
    expect(signedUp.status, JSON.stringify(signedUp.error)).toBe(200);
    expect(signedUp.data!.tenant).toMatchObject({ id: owner.tenant.id, name: "Invite Co" });
    expect(signedUp.data!.keys).toBeNull();
    expect(signedUp.data!.memberships).toEqual([{ tenantId: owner.tenant.id, tenantName: "Invite Co", role: "admin" }]);
    const after = await rowCounts(app.deps.db);
    expect(after.tenants).toBe(before.tenants);
    expect(after.api_keys).toBe(before.api_keys);
    expect(after.users! - before.users!).toBe(1);
    expect(after.memberships! - before.memberships!).toBe(1);

    // The new session acts on the tenant at once, as an admin; the invitation has left the list.
    const me = await trpcQuery<{ id: string; role: string }>(app.url, "tenant.current", { headers: bearer(signedUp.data!.token) });
    expect(me.data).toMatchObject({ id: owner.tenant.id, role: "admin" });
    const team = await trpcQuery<{ members: MemberView[]; invitations: InvitationView[] }>(app.url, "team.list", { headers: bearer(owner.token) });
    expect(team.data!.members.map((m) => [m.email, m.role])).toEqual([
      [owner.email, "owner"],
      [email.toUpperCase(), "admin"],
    ]);
    expect(team.data!.invitations).toEqual([]);

    expect(await auditActions(owner.tenant.id, "invitation.created")).toEqual([
      { actor_id: owner.user.id, target_id: res.data!.id, metadata: { email, role: "admin" } },
    ]);
    expect(await auditActions(owner.tenant.id, "invitation.accepted")).toEqual([
      { actor_id: signedUp.data!.user.id, target_id: res.data!.id, metadata: { email, role: "admin", userId: signedUp.data!.user.id } },
    ]);
  });

  it("lets an existing user accept after signing in, and shows the team to a member", async () => {
    const owner = await signUpAccount(app.url, { tenantName: "Accept Co" });
    const existing = await signUpAccount(app.url, { tenantName: "Their Own Co" });
    const { token } = await invite(owner, existing.email, "member");
    const signedIn = await trpcMutation<Signed>(app.url, "auth.signIn", { input: { email: existing.email, password: existing.password } });
    const accepted = await trpcMutation(app.url, "team.accept", { input: { token }, headers: bearer(signedIn.data!.token) });
    expect(accepted.status, JSON.stringify(accepted.error)).toBe(200);
    expect(accepted.data).toEqual({ tenant: { id: owner.tenant.id, name: "Accept Co" }, role: "member" });

    const me = await trpcQuery<{ memberships: Array<{ tenantId: string; role: string }> }>(app.url, "auth.me", { headers: bearer(existing.token) });
    expect(me.data!.memberships.map((m) => [m.tenantId, m.role])).toEqual([
      [existing.tenant.id, "owner"],
      [owner.tenant.id, "member"],
    ]);
    const team = await trpcQuery<{ members: MemberView[] }>(app.url, "team.list", { headers: on(existing.token, owner.tenant.id) });
    expect(team.status).toBe(200);
    expect(team.data!.members.map((m) => m.userId)).toEqual([owner.user.id, existing.user.id]);
    // Used once: the link now says so, and accepting again changes nothing.
    const again = await trpcMutation(app.url, "team.accept", { input: { token }, headers: bearer(existing.token) });
    expect(again.status).toBe(404);
    expect(again.error!.message).toMatch(/already been used/);
    expect((await trpcQuery(app.url, "team.invitation", { input: { token } })).status).toBe(404);
  });

  it("refuses another e-mail address, whether signing in or signing up, and writes nothing", async () => {
    const owner = await signUpAccount(app.url);
    const invited = uniqueEmail("invited");
    const { token } = await invite(owner, invited);
    const stranger = await signUpAccount(app.url);

    const before = await rowCounts(app.deps.db);
    const accepted = await trpcMutation(app.url, "team.accept", { input: { token }, headers: bearer(stranger.token) });
    expect(accepted.status).toBe(403);
    expect(accepted.error!.message).toContain(`This invitation is for ${invited}`);
    const signedUp = await signUpWith(uniqueEmail("other"), token);
    expect(signedUp.status).toBe(403);
    expect(await rowCounts(app.deps.db)).toEqual(before);
    // Still usable by the right person.
    expect((await signUpWith(invited, token)).status).toBe(200);
  });

  it("refuses unknown, expired, revoked, replaced and used invitations with a clear message", async () => {
    const owner = await signUpAccount(app.url);
    const unknown = await trpcQuery(app.url, "team.invitation", { input: { token: "a".repeat(32) } });
    expect(unknown.status).toBe(404);
    expect(unknown.error!.message).toMatch(/not found/);
    expect((await trpcQuery(app.url, "team.invitation", { input: { token: "not a token" } })).status).toBe(400);

    const expiredEmail = uniqueEmail("expired");
    const expired = await invite(owner, expiredEmail);
    await app.deps.db
      .updateTable("invitations")
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", expired.invitation.id)
      .execute();
    expect((await trpcQuery(app.url, "team.invitation", { input: { token: expired.token } })).error!.message).toMatch(/expired/);
    const late = await signUpWith(expiredEmail, expired.token);
    expect(late.status).toBe(404);
    expect(late.error!.message).toMatch(/expired/);
    const listed = await trpcQuery<{ invitations: InvitationView[] }>(app.url, "team.list", { headers: bearer(owner.token) });
    expect(listed.data!.invitations.find((i) => i.id === expired.invitation.id)).toMatchObject({ expired: true });

    const revokedEmail = uniqueEmail("revoked");
    const revoked = await invite(owner, revokedEmail);
    const res = await trpcMutation<InvitationView & { revokedAt: string }>(app.url, "team.revokeInvitation", {
      input: { id: revoked.invitation.id },
      headers: bearer(owner.token),
    });
    expect(res.data).toMatchObject({ id: revoked.invitation.id, email: revokedEmail, invitedBy: owner.email, revokedAt: expect.any(String) });
    // Twice is harmless, and audited once.
    expect((await trpcMutation(app.url, "team.revokeInvitation", { input: { id: revoked.invitation.id }, headers: bearer(owner.token) })).status).toBe(200);
    expect(await auditActions(owner.tenant.id, "invitation.revoked")).toHaveLength(1);
    const refused = await signUpWith(revokedEmail, revoked.token);
    expect(refused.status).toBe(404);
    expect(refused.error!.message).toMatch(/withdrawn/);

    // Inviting again replaces the open invitation: the first link stops working, the second works.
    const twiceEmail = uniqueEmail("twice");
    const first = await invite(owner, twiceEmail, "member");
    const second = await invite(owner, twiceEmail, "admin");
    expect(second.token).not.toBe(first.token);
    expect((await trpcQuery(app.url, "team.invitation", { input: { token: first.token } })).error!.message).toMatch(/withdrawn/);
    const open = await trpcQuery<{ invitations: InvitationView[] }>(app.url, "team.list", { headers: bearer(owner.token) });
    expect(open.data!.invitations.filter((i) => i.email === twiceEmail).map((i) => i.role)).toEqual(["admin"]);
    const joined = await signUpWith(twiceEmail, second.token);
    expect(joined.data!.memberships).toEqual([expect.objectContaining({ tenantId: owner.tenant.id, role: "admin" })]);

    // Used: a second account cannot use it, and an existing member cannot be invited at all.
    const used = await trpcMutation(app.url, "team.accept", { input: { token: second.token }, headers: bearer(joined.data!.token) });
    expect(used.error!.message).toMatch(/already been used/);
    const accepted = await trpcMutation(app.url, "team.revokeInvitation", { input: { id: second.invitation.id }, headers: bearer(owner.token) });
    expect(accepted.status).toBe(409);
    const member = await trpcMutation(app.url, "team.invite", { input: { email: twiceEmail, role: "member" }, headers: bearer(owner.token) });
    expect(member.status).toBe(409);
    expect(member.error!.message).toMatch(/already a member/);
  });

  it("adds one membership when 20 accepts of one token race", async () => {
    const owner = await signUpAccount(app.url);
    const invitee = await signUpAccount(app.url);
    const { token, invitation } = await invite(owner, invitee.email);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => trpcMutation(app.url, "team.accept", { input: { token }, headers: bearer(invitee.token) })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 404 && /already been used/.test(r.error!.message))).toBe(true);
    expect((await members(owner.tenant.id)).filter((m) => m.user_id === invitee.user.id)).toEqual([{ user_id: invitee.user.id, role: "member" }]);
    expect((await auditActions(owner.tenant.id, "invitation.accepted")).map((a) => a.target_id)).toEqual([invitation.id]);
  });

  it("lets only owners invite and revoke", async () => {
    const owner = await signUpAccount(app.url);
    const member = await join(owner, "member");
    const admin = await join(owner, "admin");
    const { invitation } = await invite(owner, uniqueEmail("pending"));
    for (const session of [member, admin]) {
      const invited = await trpcMutation(app.url, "team.invite", { input: { email: uniqueEmail(), role: "member" }, headers: bearer(session.token) });
      expect(invited.status).toBe(403);
      expect(invited.error!.data.reason).toBe("forbidden");
      expect((await trpcMutation(app.url, "team.revokeInvitation", { input: { id: invitation.id }, headers: bearer(session.token) })).status).toBe(403);
    }
  });
});

describe("roles and removal", () => {
  it("lets the owner change roles and remove members, a member leave, and audits each", async () => {
    const owner = await signUpAccount(app.url);
    const member = await join(owner, "member");
    const leaver = await join(owner, "member");

    const promoted = await trpcMutation<MemberView>(app.url, "team.changeRole", {
      input: { userId: member.user.id, role: "admin" },
      headers: bearer(owner.token),
    });
    expect(promoted.data).toMatchObject({ userId: member.user.id, role: "admin" });
    // The same role again changes and audits nothing.
    await trpcMutation(app.url, "team.changeRole", { input: { userId: member.user.id, role: "admin" }, headers: bearer(owner.token) });
    expect(await auditActions(owner.tenant.id, "member.role_changed")).toEqual([
      { actor_id: owner.user.id, target_id: member.user.id, metadata: { email: member.user.email, from: "member", to: "admin" } },
    ]);

    // A member may remove only themselves.
    const refused = await trpcMutation(app.url, "team.remove", { input: { userId: member.user.id }, headers: bearer(leaver.token) });
    expect(refused.status).toBe(403);
    const left = await trpcMutation(app.url, "team.remove", { input: { userId: leaver.user.id }, headers: bearer(leaver.token) });
    expect(left.data).toEqual({ userId: leaver.user.id, removed: true });
    // Gone from the tenant at once.
    expect((await trpcQuery(app.url, "tenant.current", { headers: on(leaver.token, owner.tenant.id) })).status).toBe(403);

    const removed = await trpcMutation(app.url, "team.remove", { input: { userId: member.user.id }, headers: bearer(owner.token) });
    expect(removed.status).toBe(200);
    expect(await members(owner.tenant.id)).toEqual([{ user_id: owner.user.id, role: "owner" }]);
    expect((await trpcMutation(app.url, "team.remove", { input: { userId: member.user.id }, headers: bearer(owner.token) })).status).toBe(404);

    expect(await auditActions(owner.tenant.id, "member.left")).toEqual([
      { actor_id: leaver.user.id, target_id: leaver.user.id, metadata: { email: leaver.user.email, role: "member" } },
    ]);
    expect(await auditActions(owner.tenant.id, "member.removed")).toEqual([
      { actor_id: owner.user.id, target_id: member.user.id, metadata: { email: member.user.email, role: "admin" } },
    ]);
  });

  it("never demotes or removes the last owner", async () => {
    const owner = await signUpAccount(app.url);
    const admin = await join(owner, "admin");
    for (const [path, input] of [
      ["team.changeRole", { userId: owner.user.id, role: "admin" }],
      ["team.remove", { userId: owner.user.id }],
    ] as const) {
      const res = await trpcMutation(app.url, path, { input, headers: bearer(owner.token) });
      expect(res.status, path).toBe(409);
      expect(res.error!.message).toMatch(/last owner/);
    }
    // An admin can do neither to anyone else.
    expect((await trpcMutation(app.url, "team.changeRole", { input: { userId: admin.user.id, role: "owner" }, headers: bearer(admin.token) })).status).toBe(
      403,
    );
    expect((await trpcMutation(app.url, "team.remove", { input: { userId: owner.user.id }, headers: bearer(admin.token) })).status).toBe(403);
    expect(await members(owner.tenant.id)).toEqual([
      { user_id: owner.user.id, role: "owner" },
      { user_id: admin.user.id, role: "admin" },
    ]);
    // With a second owner, the first may step down.
    await trpcMutation(app.url, "team.changeRole", { input: { userId: admin.user.id, role: "owner" }, headers: bearer(owner.token) });
    expect((await trpcMutation(app.url, "team.changeRole", { input: { userId: owner.user.id, role: "member" }, headers: bearer(owner.token) })).status).toBe(
      200,
    );
  });

  it("keeps one owner when two owners demote or remove each other at once", async () => {
    const first = await signUpAccount(app.url);
    const second = await join(first, "admin");
    const owners = async () => (await members(first.tenant.id)).filter((m) => m.role === "owner");
    for (let round = 0; round < 5; round++) {
      // Both owners again, whoever was left last round.
      for (const m of await members(first.tenant.id)) {
        if (m.role !== "owner")
          await app.deps.db
            .updateTable("memberships")
            .set({ role: "owner" })
            .where("tenant_id", "=", first.tenant.id)
            .where("user_id", "=", m.user_id)
            .execute();
      }
      const demote = round % 2 === 0;
      const results = await Promise.all([
        demote
          ? trpcMutation(app.url, "team.changeRole", { input: { userId: second.user.id, role: "admin" }, headers: bearer(first.token) })
          : trpcMutation(app.url, "team.remove", { input: { userId: first.user.id }, headers: bearer(first.token) }),
        demote
          ? trpcMutation(app.url, "team.changeRole", { input: { userId: first.user.id, role: "admin" }, headers: bearer(second.token) })
          : trpcMutation(app.url, "team.remove", { input: { userId: second.user.id }, headers: bearer(second.token) }),
      ]);
      expect(
        results.map((r) => r.status).filter((s) => s === 200),
        `round ${round}`,
      ).toHaveLength(1);
      expect(
        results.every((r) => [200, 403, 409].includes(r.status)),
        JSON.stringify(results.map((r) => r.error)),
      ).toBe(true);
      expect(await owners(), `round ${round}`).toHaveLength(1);
      if (!demote) {
        // Put back whoever left, for the next round.
        const present = (await members(first.tenant.id)).map((m) => m.user_id);
        for (const id of [first.user.id, second.user.id].filter((id) => !present.includes(id))) {
          await app.deps.db.insertInto("memberships").values({ tenant_id: first.tenant.id, user_id: id, role: "owner" }).execute();
        }
      }
    }
  });
});

describe("sign-up", () => {
  it("keeps where a sign-up came from, and needs a tenant name without an invitation", async () => {
    const fromWidget = await trpcMutation<Signed>(app.url, "auth.signUp", {
      input: { email: uniqueEmail(), password: STRONG_PASSWORD, tenantName: "From the widget", source: "widget-trial" },
    });
    const plain = await signUpAccount(app.url);
    const sources = await app.deps.db
      .selectFrom("tenants")
      .select(["id", "signup_source"])
      .where("id", "in", [fromWidget.data!.tenant.id, plain.tenant.id])
      .execute();
    expect(Object.fromEntries(sources.map((t) => [t.id, t.signup_source]))).toEqual({ [fromWidget.data!.tenant.id]: "widget-trial", [plain.tenant.id]: null });

    const before = await rowCounts(app.deps.db);
    const noName = await trpcMutation(app.url, "auth.signUp", { input: { email: uniqueEmail(), password: STRONG_PASSWORD } });
    expect(noName.status).toBe(400);
    expect(noName.error!.data.fields).toEqual({ tenantName: ["is required"] });
    const both = await signUpWith(uniqueEmail(), "a".repeat(32), { tenantName: "Mine too", source: "widget-trial" });
    expect(both.status).toBe(400);
    expect(Object.keys(both.error!.data.fields!).sort()).toEqual(["source", "tenantName"]);
    expect(
      (await trpcMutation(app.url, "auth.signUp", { input: { email: uniqueEmail(), password: STRONG_PASSWORD, tenantName: "X", source: "ads" } })).status,
    ).toBe(400);
    expect(await rowCounts(app.deps.db)).toEqual(before);
  });
});
