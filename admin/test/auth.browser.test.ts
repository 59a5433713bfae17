// Sessions in the portal: the cookie's flags, sign-in and its redirects, sign-out on the platform, refused cross-site
// posts, and the password reset by e-mail. The forms are used as people use them, some with JavaScript off.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkInMail, signIn, signUp, STRONG_PASSWORD, uniqueEmail } from "./helpers.ts";
import { browserTestsRun, type Stage, startStage } from "./stage.ts";

let stage: Stage;
beforeAll(async () => {
  if (browserTestsRun) stage = await startStage();
});
afterAll(() => stage?.close());

/** What the platform says of a session token: 200 while it lives. */
const platformSession = (token: string) => fetch(`${stage.platform.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

describe.runIf(browserTestsRun)("portal sessions", () => {
  it("signs up without JavaScript, keeps the token in an HttpOnly, SameSite=Lax, Secure cookie, and signs out on the platform", async () => {
    const context = await stage.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signUp(page, stage, { company: "Acme Plumbing", email: uniqueEmail("acme") });
    expect(await page.getByRole("status").innerText()).toContain("Welcome to BizBot");
    expect(await page.title()).toMatch(/^Dashboard · BizBot$/);
    const cookie = (await context.cookies()).find((c) => c.name === "bizbot_session")!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", secure: true });
    expect(await page.evaluate(() => document.cookie)).not.toContain("bizbot_session");
    const token = JSON.parse(Buffer.from(decodeURIComponent(cookie.value), "base64").toString("utf8")).token as string;
    expect(await platformSession(token)).toBe(200);

    await page.getByRole("button", { name: "Sign out" }).first().click();
    await page.waitForURL(/\/login$/);
    expect(await platformSession(token)).toBe(401);
    expect((await context.cookies()).some((c) => c.name === "bizbot_session")).toBe(false);
    await context.close();
  });

  it("sends a signed-out visitor to sign in and back to the page they asked for, never to another site", async () => {
    const email = uniqueEmail("back");
    const setup = await stage.newContext();
    await signUp(await setup.newPage(), stage, { company: "Back Again", email });
    await setup.close();

    const context = await stage.newContext();
    const page = await context.newPage();
    await page.goto(`${stage.portalUrl}/knowledge`);
    expect(page.url()).toBe(`${stage.portalUrl}/login?next=${encodeURIComponent("/knowledge")}`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(STRONG_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${stage.portalUrl}/knowledge`);

    for (const next of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      await page.context().clearCookies();
      await signIn(page, stage, email, STRONG_PASSWORD, `/login?next=${encodeURIComponent(next)}`);
      await page.waitForURL(`${stage.portalUrl}/dashboard`);
    }
    await context.close();
  });

  it("shows a wrong password next to the form, and keeps the e-mail typed", async () => {
    const context = await stage.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, stage, "nobody@example.com", "not the password at all");
    expect(await page.getByRole("alert").innerText()).toContain("Wrong e-mail or password");
    expect(await page.getByLabel("Email").inputValue()).toBe("nobody@example.com");
    await context.close();
  });

  it("refuses a form posted from another site, or with no origin at all, and changes nothing", async () => {
    const context = await stage.newContext();
    const page = await context.newPage();
    await signUp(page, stage, { company: "Forgery Target", email: uniqueEmail("csrf") });
    const cookie = (await context.cookies()).find((c) => c.name === "bizbot_session")!;
    const token = JSON.parse(Buffer.from(decodeURIComponent(cookie.value), "base64").toString("utf8")).token as string;
    const post = (headers: Record<string, string>) =>
      fetch(`${stage.portalUrl}/logout`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: `bizbot_session=${cookie.value}`, "content-type": "application/x-www-form-urlencoded", ...headers },
        body: "",
      }).then((r) => r.status);
    expect(await post({ origin: "https://evil.example" })).toBe(403);
    expect(await post({ origin: "null" })).toBe(403);
    expect(await post({})).toBe(403);
    expect(await post({ "sec-fetch-site": "cross-site" })).toBe(403);
    expect(await platformSession(token)).toBe(200);
    // The portal's own origin is accepted.
    expect(await post({ origin: stage.portalUrl })).toBe(302);
    expect(await platformSession(token)).toBe(401);
    await context.close();
  });

  it("resets a forgotten password by e-mail: the link works once, and the old password and sessions end", async () => {
    const email = uniqueEmail("forgot");
    const first = await stage.newContext();
    const firstPage = await first.newPage();
    await signUp(firstPage, stage, { company: "Forgetful Ltd", email });

    const context = await stage.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${stage.portalUrl}/login`);
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send the link" }).click();
    expect(await page.getByRole("status").innerText()).toContain(email);
    const link = await linkInMail(stage, email, /reset-password/);

    const newPassword = "a different horse battery 43";
    await page.goto(link);
    await page.getByLabel("New password").fill(newPassword);
    await page.getByRole("button", { name: "Save the new password" }).click();
    await page.waitForURL(`${stage.portalUrl}/dashboard`);

    // The session from before the reset has ended.
    await firstPage.goto(`${stage.portalUrl}/dashboard`);
    expect(firstPage.url()).toContain("/login");
    // The link is spent.
    await page.context().clearCookies();
    await page.goto(link);
    await page.getByLabel("New password").fill("yet another horse battery 44");
    await page.getByRole("button", { name: "Save the new password" }).click();
    expect(await page.getByRole("alert").innerText()).toMatch(/link|token|expired|used/i);
    // The old password no longer works; the new one does.
    await signIn(page, stage, email, STRONG_PASSWORD);
    expect(await page.getByRole("alert").innerText()).toContain("Wrong e-mail or password");
    await signIn(page, stage, email, newPassword);
    await page.waitForURL(`${stage.portalUrl}/dashboard`);
    await first.close();
    await context.close();
  });
});
