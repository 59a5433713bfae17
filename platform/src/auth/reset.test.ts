import { bearer, signUpAccount, trpcMutation, trpcQuery, uniqueEmail, type TestAccount } from "@bizbot/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowCounts, startTestApp } from "../../test/harness.ts";
import { DomainError } from "../errors.ts";
import { sha256Hex } from "../lib/crypto.ts";
import type { App } from "../main.ts";
import { RESET_LIFETIME_MS, RESET_LIMITS, RESET_REQUESTED, resetPassword } from "./reset.ts";

const PORTAL = "https://portal.example.test";
const NEW_PASSWORD = "a brand new passphrase 7";

let app: App;
beforeAll(async () => {
  app = await startTestApp({ PORTAL_URL: `${PORTAL}/` });
});
afterAll(async () => {
  // No server here sends mail, but a later test file's may (the database is shared): the mail queued here goes with it.
  await app?.deps.db.deleteFrom("notification_outbox").where("kind", "=", "auth.password_reset").where("status", "=", "pending").execute();
  await app?.close();
});

const requestReset = (email: string) => trpcMutation<typeof RESET_REQUESTED>(app.url, "auth.requestPasswordReset", { input: { email } });
const reset = (token: string, password = NEW_PASSWORD) =>
  trpcMutation<{ token: string; user: { id: string } }>(app.url, "auth.resetPassword", { input: { token, password } });

/** The reset e-mails queued for an address, oldest first. */
const mails = (email: string) =>
  app.deps.db
    .selectFrom("notification_outbox")
    .selectAll()
    .where("target", "=", email)
    .where("kind", "=", "auth.password_reset")
    .orderBy("created_at")
    .execute();

/** Asks for a reset and reads the token out of the link in the e-mail, as the person would. */
async function linkToken(account: TestAccount): Promise<string> {
  const before = (await mails(account.email)).length;
  expect((await requestReset(account.email)).status).toBe(200);
  const queued = await mails(account.email);
  expect(queued).toHaveLength(before + 1);
  const text = (queued.at(-1)!.payload as { text: string }).text;
  return /\/reset-password\?token=([a-z2-7]{32})\b/.exec(text)![1]!;
}

describe("asking for a reset", () => {
  it("queues an e-mail with a one-hour link to the portal, and stores only the token's hash", async () => {
    const account = await signUpAccount(app.url);
    const res = await requestReset(account.email.toUpperCase());
    expect(res.status).toBe(200);
    expect(res.data).toEqual(RESET_REQUESTED);
    const [mail] = await mails(account.email);
    expect(mail).toMatchObject({ tenant_id: null, channel: "email", status: "pending" });
    const { subject, text } = mail!.payload as { subject: string; text: string };
    expect(subject).toMatch(/password/i);
    const token = /https:\/\/portal\.example\.test\/reset-password\?token=([a-z2-7]{32})\n/.exec(text)?.[1];
    expect(token, text).toBeDefined();
    const stored = await app.deps.db.selectFrom("password_resets").selectAll().where("user_id", "=", account.user.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).toBe(sha256Hex(token!));
    expect(stored[0]!.used_at).toBeNull();
    const lifetime = stored[0]!.expires_at.getTime() - stored[0]!.created_at.getTime();
    expect(Math.abs(lifetime - RESET_LIFETIME_MS)).toBeLessThan(5_000);
  });

  it("answers an unknown e-mail exactly the same, and writes nothing", async () => {
    const known = await signUpAccount(app.url);
    const before = await rowCounts(app.deps.db);
    const unknown = await requestReset(uniqueEmail("nobody"));
    expect(await rowCounts(app.deps.db)).toEqual(before);
    const existing = await requestReset(known.email);
    expect(unknown.status).toBe(existing.status);
    expect(unknown.data).toEqual(existing.data);
  });

  it("limits requests per address, whether or not it has an account, with the same answer", async () => {
    const known = await signUpAccount(app.url);
    const unknown = uniqueEmail("ghost");
    for (const email of [known.email, unknown]) {
      const statuses: number[] = [];
      for (let i = 0; i <= RESET_LIMITS.perAccount.limit; i++) statuses.push((await requestReset(email)).status);
      expect(statuses).toEqual([...Array(RESET_LIMITS.perAccount.limit).fill(200), 429]);
    }
    expect(await mails(known.email)).toHaveLength(RESET_LIMITS.perAccount.limit);
  });
});

describe("resetting", () => {
  it("sets the password, ends every old session, audits, and signs in afresh", async () => {
    const account = await signUpAccount(app.url);
    const second = await trpcMutation<{ token: string }>(app.url, "auth.signIn", { input: { email: account.email, password: account.password } });
    const token = await linkToken(account);
    const res = await reset(token);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ user: { id: account.user.id, email: account.email }, memberships: [{ tenantId: account.tenant.id, role: "owner" }] });
    for (const old of [account.token, second.data!.token]) expect((await trpcQuery(app.url, "auth.me", { headers: bearer(old) })).status).toBe(401);
    expect((await trpcQuery(app.url, "auth.me", { headers: bearer(res.data!.token) })).status).toBe(200);
    expect(await app.deps.db.selectFrom("sessions").select("id").where("user_id", "=", account.user.id).execute()).toEqual([
      { id: sha256Hex(res.data!.token) },
    ]);
    const signIn = (password: string) => trpcMutation(app.url, "auth.signIn", { input: { email: account.email, password } });
    expect((await signIn(account.password)).status).toBe(401);
    expect((await signIn(NEW_PASSWORD)).status).toBe(200);
    const audit = await app.deps.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "auth.password_reset")
      .where("actor_id", "=", account.user.id)
      .execute();
    expect(audit).toMatchObject([{ tenant_id: null, actor_type: "user", target_type: "user", target_id: account.user.id }]);
  });

  it("lets a token through once, even with 20 uses at the same moment", async () => {
    const account = await signUpAccount(app.url);
    const token = await linkToken(account);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => reset(token, `${NEW_PASSWORD} number ${i}`)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(19).fill(400)]);
    for (const refused of results.filter((r) => r.status === 400)) expect(refused.error!.data.fields).toHaveProperty("token");
    // The session returned is the user's only one, and the password set is the winner's.
    const winner = results.findIndex((r) => r.status === 200);
    const sessions = await app.deps.db.selectFrom("sessions").select("id").where("user_id", "=", account.user.id).execute();
    expect(sessions).toEqual([{ id: sha256Hex(results[winner]!.data!.token) }]);
    const signIn = await trpcMutation(app.url, "auth.signIn", { input: { email: account.email, password: `${NEW_PASSWORD} number ${winner}` } });
    expect(signIn.status).toBe(200);
    expect((await reset(token)).status).toBe(400);
  });

  it("refuses an expired token, and works until its hour is over", async () => {
    const account = await signUpAccount(app.url);
    const token = await linkToken(account);
    const at = (minutes: number) => resetPassword(app.deps, { token, password: NEW_PASSWORD }, null, Date.now() + minutes * 60_000);
    const late = await at(61).catch((error: unknown) => error);
    expect(late).toBeInstanceOf(DomainError);
    expect(late).toMatchObject({ reason: "invalid_input", details: { fields: { token: [expect.any(String)] } } });
    expect((await at(59)).user.id).toBe(account.user.id);
  });

  it("refuses a weak password without using the token up", async () => {
    const account = await signUpAccount(app.url);
    const token = await linkToken(account);
    const weak = await reset(token, "1234567890");
    expect(weak.status).toBe(400);
    expect(weak.error!.data.fields).toHaveProperty("password");
    expect((await reset(token)).status).toBe(200);
  });

  it("ends the links sent before the one used, and refuses tokens it never sent", async () => {
    const account = await signUpAccount(app.url);
    const first = await linkToken(account);
    const second = await linkToken(account);
    expect((await reset(second)).status).toBe(200);
    expect((await reset(first)).status).toBe(400);
    const never = await reset("a".repeat(32));
    expect(never.status).toBe(400);
    expect(never.error!.data.fields).toHaveProperty("token");
  });
});
