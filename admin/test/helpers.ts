// Steps the portal's browser tests share: filling the public forms as a person would, and reading e-mails.
import { STRONG_PASSWORD } from "@bizbot/testing";
import type { Page } from "playwright-core";
import type { Stage } from "./stage.ts";

let counter = 0;
/** An address no other test uses. */
export const uniqueEmail = (label = "user") => `${label}-${process.pid}-${Date.now().toString(36)}-${++counter}@example.com`;
export { STRONG_PASSWORD };

export async function signUp(page: Page, stage: Stage, account: { company: string; email: string; password?: string }): Promise<void> {
  await page.goto(`${stage.portalUrl}/signup`);
  await page.getByLabel("Company name").fill(account.company);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password ?? STRONG_PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL(`${stage.portalUrl}/dashboard`);
}

export async function signIn(page: Page, stage: Stage, email: string, password = STRONG_PASSWORD, path = "/login"): Promise<void> {
  await page.goto(`${stage.portalUrl}${path}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The first link to the portal in the newest e-mail to `to` whose text matches `pattern`, waiting for the outbox to send it. */
export async function linkInMail(stage: Stage, to: string, pattern: RegExp, timeout = 30_000): Promise<string> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const mail = stage.mail.messages.filter((m) => m.to.includes(to) && pattern.test(m.raw)).at(-1);
    if (mail) {
      // Quoted-printable bodies fold long lines with "=\r\n" and escape "=" as "=3D".
      const body = mail.raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
      const link = body.match(new RegExp(`${stage.portalUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/[^\\s"<>]+`));
      if (link) return link[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no e-mail to ${to} matching ${pattern} arrived; received: ${stage.mail.messages.map((m) => `${m.to} ${m.subject}`).join(", ")}`);
}

/** Polls `check` until it holds, or fails naming `what`. */
export async function until(check: () => Promise<boolean>, what: string, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
