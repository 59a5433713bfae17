import type { Kysely, Transaction } from "kysely";
import { insertAudit } from "../audit/repository.ts";
import type { DB } from "../db/schema.ts";
import { portalUrlOf, type Env } from "../env.ts";
import { invalidInput, rateLimited } from "../errors.ts";
import { randomToken, sha256Hex } from "../lib/crypto.ts";
import { newId } from "../lib/ids.ts";
import { enqueueNotification } from "../notifications/outbox.ts";
import { hashPassword } from "./password.ts";
import { findUserByEmail } from "./repository.ts";
import { assertPassword, startSession, type AuthDeps, type SignedIn } from "./service.ts";

export interface ResetDeps extends AuthDeps {
  env: Pick<Env, "PORTAL_URL" | "PUBLIC_URL">;
}

/** How long a reset link works. */
export const RESET_LIFETIME_MS = 60 * 60 * 1000;

/** Each request counts, whether the account exists or not, so the limits say nothing about accounts either. */
export const RESET_LIMITS = {
  perAccount: { limit: 5, periodSeconds: 60 * 60 },
  perIp: { limit: 30, periodSeconds: 60 * 60 },
} as const;

/** The one answer to every accepted request: it must not tell whether the account exists. */
export const RESET_REQUESTED = {
  requested: true,
  message: "If an account uses this e-mail, a link to choose a new password is on its way. It works once, within an hour.",
} as const;

/**
 * Sends a link to choose a new password, if the e-mail has an account. The answer is the same either way, and so
 * is the work up to the database: a token is made, hashed and written into the e-mail in both branches, and both
 * make two statements in a transaction (the unknown address's read and write nothing).
 */
export async function requestPasswordReset(deps: ResetDeps, input: { email: string }, ip: string | null, now = Date.now()): Promise<typeof RESET_REQUESTED> {
  const decision = await deps.limiter.check([
    { name: "password-reset-account", key: `reset:account:${input.email.toLowerCase()}`, ...RESET_LIMITS.perAccount, onStoreFailure: "local" },
    { name: "password-reset-address", key: `reset:ip:${ip ?? "unknown"}`, ...RESET_LIMITS.perIp, onStoreFailure: "local" },
  ]);
  if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds);
  const user = await findUserByEmail(deps.db, input.email);
  const token = randomToken(20);
  const tokenHash = sha256Hex(token);
  const notificationId = newId("notification");
  const portal = portalUrlOf(deps.env);
  const email = resetEmail(`${portal}/reset-password?token=${token}`);
  await deps.db.transaction().execute(async (trx) => {
    if (user) {
      await trx
        .insertInto("password_resets")
        .values({ token_hash: tokenHash, user_id: user.id, expires_at: new Date(now + RESET_LIFETIME_MS) })
        .execute();
      await enqueueNotification(trx, { tenantId: null, kind: "auth.password_reset", channel: "email", target: user.email, payload: email });
    } else {
      await trx.selectFrom("password_resets").select("token_hash").where("token_hash", "=", tokenHash).execute();
      await trx.selectFrom("notification_outbox").select("id").where("id", "=", notificationId).execute();
    }
  });
  return RESET_REQUESTED;
}

function resetEmail(link: string) {
  return {
    subject: "Choose a new BizBot password",
    text: [
      "Someone, hopefully you, asked to reset the password of the BizBot account of this e-mail address.",
      "",
      "To choose a new password, open this link within an hour. It works once:",
      link,
      "",
      "If you did not ask for this, ignore this e-mail: your password stays as it is.",
    ].join("\n"),
  };
}

const invalidLink = () =>
  invalidInput("This reset link is not valid: it was used already, has expired, or was not sent by us. Ask for a new one.", {
    token: ["is used, expired or unknown"],
  });

/**
 * Sets a new password with a reset token. The token works once: of concurrent uses, the conditional update lets
 * exactly one through. Every session of the user ends, the change is audited, and a fresh session is returned.
 */
export async function resetPassword(deps: AuthDeps, input: { token: string; password: string }, ip: string | null, now = Date.now()): Promise<SignedIn> {
  assertPassword(input.password);
  const tokenHash = sha256Hex(input.token);
  // A cheap look first, so that a wrong or spent token costs no password hash; the update below decides.
  if (!(await findUsable(deps.db, tokenHash, new Date(now)))) throw invalidLink();
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction().execute(async (trx) => {
    const used = await useToken(trx, tokenHash, new Date(now));
    if (!used) throw invalidLink();
    const user = await trx.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", used.user_id).returningAll().executeTakeFirstOrThrow();
    await trx.deleteFrom("sessions").where("user_id", "=", user.id).execute();
    // Links sent before this one were for the password that is gone now.
    await trx
      .updateTable("password_resets")
      .set({ used_at: new Date(now) })
      .where("user_id", "=", user.id)
      .where("used_at", "is", null)
      .execute();
    await insertAudit(trx, { type: "user", id: user.id, ip }, { tenantId: null, action: "auth.password_reset", target: { type: "user", id: user.id } });
    return startSession(trx, user);
  });
}

function findUsable(db: Kysely<DB>, tokenHash: string, now: Date) {
  return db
    .selectFrom("password_resets")
    .select("user_id")
    .where("token_hash", "=", tokenHash)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
}

/** Marks the token used if it still may be; undefined when another use came first, or it expired. */
function useToken(trx: Transaction<DB>, tokenHash: string, now: Date) {
  return trx
    .updateTable("password_resets")
    .set({ used_at: now })
    .where("token_hash", "=", tokenHash)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning("user_id")
    .executeTakeFirst();
}
