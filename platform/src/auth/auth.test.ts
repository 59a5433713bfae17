import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, signUpAccount, STRONG_PASSWORD, trpcMutation, trpcQuery, uniqueEmail } from "@bizbot/testing";
import { rowCounts, startTestApp } from "../../test/harness.ts";
import { sha256Hex } from "../lib/crypto.ts";
import type { App } from "../main.ts";
import { passwordProblem } from "./password.ts";
import { SIGN_IN_LIMITS } from "./service.ts";
import { SESSION_LIFETIME_MS, SESSION_RENEW_WITHIN_MS, createSession, validateSessionToken } from "./sessions.ts";

let app: App;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

describe("sign-up", () => {
  it("creates the user, the tenant, the owner membership and a test and live key pair", async () => {
    const account = await signUpAccount(app.url, { tenantName: "Acme Support" });
    expect(account.tenant.name).toBe("Acme Support");
    expect(account.token).toMatch(/^[a-z2-7]{32}$/);
    const db = app.deps.db;
    expect(await db.selectFrom("memberships").select(["user_id", "role"]).where("tenant_id", "=", account.tenant.id).execute()).toEqual([
      { user_id: account.user.id, role: "owner" },
    ]);
    const keys = await db.selectFrom("api_keys").select(["kind", "mode"]).where("tenant_id", "=", account.tenant.id).orderBy("kind").orderBy("mode").execute();
    expect(keys).toEqual([
      { kind: "publishable", mode: "live" },
      { kind: "publishable", mode: "test" },
      { kind: "secret", mode: "live" },
      { kind: "secret", mode: "test" },
    ]);
    const user = await db.selectFrom("users").select("password_hash").where("id", "=", account.user.id).executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
  });

  it("keeps e-mail unique case-insensitively, also when sign-ups race", async () => {
    const email = uniqueEmail("Case");
    await signUpAccount(app.url, { email });
    const again = await trpcMutation(app.url, "auth.signUp", { input: { email: email.toUpperCase(), password: STRONG_PASSWORD, tenantName: "Dup" } });
    expect(again.status).toBe(409);

    const raced = uniqueEmail("race");
    const before = await rowCounts(app.deps.db);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        trpcMutation(app.url, "auth.signUp", { input: { email: i % 2 ? raced : raced.toUpperCase(), password: STRONG_PASSWORD, tenantName: `Race ${i}` } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
    const after = await rowCounts(app.deps.db);
    // Exactly one account's worth of rows: nothing half-written by the losers.
    expect(after.users! - before.users!).toBe(1);
    expect(after.tenants! - before.tenants!).toBe(1);
    expect(after.api_keys! - before.api_keys!).toBe(4);
  });

  it("refuses short and common passwords with a field error and writes nothing", async () => {
    const before = await rowCounts(app.deps.db);
    for (const password of ["short", "1234567890", "qwertyuiop", "Password1234".toLowerCase(), "aaaaaaaaaaaaaa"]) {
      const res = await trpcMutation(app.url, "auth.signUp", { input: { email: uniqueEmail(), password, tenantName: "X" } });
      expect(res.status, password).toBe(400);
      expect(res.error!.data.fields, password).toHaveProperty("password");
    }
    expect(await rowCounts(app.deps.db)).toEqual(before);
    expect(passwordProblem(STRONG_PASSWORD)).toBeNull();
  });
});

describe("sessions", () => {
  it("stores only the SHA-256 of the token, and signs out", async () => {
    const account = await signUpAccount(app.url);
    const stored = await app.deps.db.selectFrom("sessions").select("id").where("user_id", "=", account.user.id).execute();
    expect(stored).toEqual([{ id: sha256Hex(account.token) }]);

    const me = await trpcQuery<{ user: { email: string } }>(app.url, "auth.me", { headers: bearer(account.token) });
    expect(me.data!.user.email).toBe(account.email);
    expect((await trpcMutation(app.url, "auth.signOut", { headers: bearer(account.token) })).status).toBe(200);
    expect((await trpcQuery(app.url, "auth.me", { headers: bearer(account.token) })).status).toBe(401);
    // Presenting the stored hash instead of the token gets nothing either.
    expect((await trpcQuery(app.url, "auth.me", { headers: bearer(stored[0]!.id) })).status).toBe(401);
  });

  it("lasts 30 days, renews when under 15 remain, and ends when expired", async () => {
    const account = await signUpAccount(app.url);
    const t0 = Date.now();
    const { token } = await createSession(app.deps.db, account.user.id, t0);
    const expiry = async () =>
      (await app.deps.db.selectFrom("sessions").select("expires_at").where("id", "=", sha256Hex(token)).executeTakeFirst())?.expires_at.getTime();
    expect(await expiry()).toBe(t0 + SESSION_LIFETIME_MS);

    // With more than 15 days left, validation leaves the expiry alone.
    await validateSessionToken(app.deps.db, token, t0 + 10 * 86_400_000);
    expect(await expiry()).toBe(t0 + SESSION_LIFETIME_MS);

    // Under 15 days left: slides to 30 days from now.
    const t1 = t0 + SESSION_LIFETIME_MS - SESSION_RENEW_WITHIN_MS + 1_000;
    expect(await validateSessionToken(app.deps.db, token, t1)).not.toBeNull();
    expect(await expiry()).toBe(t1 + SESSION_LIFETIME_MS);

    // Past its expiry the session is gone for good.
    expect(await validateSessionToken(app.deps.db, token, t1 + SESSION_LIFETIME_MS + 1)).toBeNull();
    expect(await expiry()).toBeUndefined();
  });
});

describe("sign-in", () => {
  it("signs in with the right password whatever the e-mail's case, and refuses a wrong one", async () => {
    const account = await signUpAccount(app.url);
    const ok = await trpcMutation<{ token: string; memberships: unknown[] }>(app.url, "auth.signIn", {
      input: { email: account.email.toUpperCase(), password: account.password },
    });
    expect(ok.status).toBe(200);
    expect(ok.data!.memberships).toHaveLength(1);
    const wrong = await trpcMutation(app.url, "auth.signIn", { input: { email: account.email, password: "not the password at all" } });
    expect(wrong.status).toBe(401);
    const unknown = await trpcMutation(app.url, "auth.signIn", { input: { email: uniqueEmail(), password: "not the password at all" } });
    expect(unknown.status).toBe(401);
    expect(unknown.error!.message).toBe(wrong.error!.message);
  });

  it("throttles an account: concurrent guesses get at most the limit through, then even the right password waits", async () => {
    const account = await signUpAccount(app.url);
    const guesses = await Promise.all(
      Array.from({ length: 30 }, () => trpcMutation(app.url, "auth.signIn", { input: { email: account.email, password: "wrong password guess" } })),
    );
    const statuses = guesses.map((g) => g.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(SIGN_IN_LIMITS.perAccount.limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - SIGN_IN_LIMITS.perAccount.limit);
    const limited = guesses.find((g) => g.status === 429)!;
    expect(limited.error!.data.retryAfterSeconds).toBeGreaterThan(0);

    const right = await trpcMutation(app.url, "auth.signIn", { input: { email: account.email.toUpperCase(), password: account.password } });
    expect(right.status).toBe(429);
    // Another account from the same address is not locked out by it.
    const other = await signUpAccount(app.url);
    expect((await trpcMutation(app.url, "auth.signIn", { input: { email: other.email, password: other.password } })).status).toBe(200);
  });

  it("throttles an address across accounts", async () => {
    // Fill this address's budget directly, then any account is refused from it but not from another address.
    const { limiter } = app.deps;
    const rule = { name: "sign-in-address", key: "signin:ip:203.0.113.9", ...SIGN_IN_LIMITS.perIp, onStoreFailure: "local" as const };
    for (let i = 0; i < SIGN_IN_LIMITS.perIp.limit; i++) expect((await limiter.check([rule])).allowed).toBe(true);
    const { signIn } = await import("./service.ts");
    const account = await signUpAccount(app.url);
    await expect(signIn(app.deps, { email: account.email, password: account.password }, "203.0.113.9")).rejects.toMatchObject({ reason: "rate_limited" });
    await expect(signIn(app.deps, { email: account.email, password: account.password }, "203.0.113.10")).resolves.toMatchObject({
      user: { id: account.user.id },
    });
  });
});
