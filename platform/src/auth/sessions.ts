import type { Kysely } from "kysely";
import type { DB, Session } from "../db/schema.ts";
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { randomToken } from "../lib/crypto.ts";

// Lucia's session design: a random token goes to the client, only its SHA-256 is stored, and the expiry
// slides forward while the session is in use.
const DAY_MS = 24 * 60 * 60 * 1000;
export const SESSION_LIFETIME_MS = 30 * DAY_MS;
export const SESSION_RENEW_WITHIN_MS = 15 * DAY_MS;

/** 20 random bytes (160 bits), lowercase base32: 32 characters. */
export function generateSessionToken(): string {
  return randomToken(20);
}

/** A session's id: the SHA-256 of its token, as in Lucia's design (with @oslojs, not on the API-key hot path). */
export function sessionIdOf(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(db: Kysely<DB>, userId: string, now = Date.now()): Promise<{ token: string; session: Session }> {
  const token = generateSessionToken();
  const session = await db
    .insertInto("sessions")
    .values({ id: sessionIdOf(token), user_id: userId, expires_at: new Date(now + SESSION_LIFETIME_MS) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, session };
}

export interface ValidSession {
  session: Session;
  user: { id: string; email: string };
}

/** The session and its user, renewing the expiry when under half of its life is left; null when invalid. */
export async function validateSessionToken(db: Kysely<DB>, token: string, now = Date.now()): Promise<ValidSession | null> {
  if (!/^[a-z2-7]{32}$/.test(token)) return null;
  const id = sessionIdOf(token);
  const row = await db
    .selectFrom("sessions")
    .innerJoin("users", "users.id", "sessions.user_id")
    .select(["sessions.id", "sessions.user_id", "sessions.expires_at", "sessions.created_at", "users.email"])
    .where("sessions.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  const session: Session = { id: row.id, user_id: row.user_id, expires_at: row.expires_at, created_at: row.created_at };
  if (now >= session.expires_at.getTime()) {
    await db.deleteFrom("sessions").where("id", "=", id).execute();
    return null;
  }
  if (now >= session.expires_at.getTime() - SESSION_RENEW_WITHIN_MS) {
    session.expires_at = new Date(now + SESSION_LIFETIME_MS);
    await db.updateTable("sessions").set({ expires_at: session.expires_at }).where("id", "=", id).execute();
  }
  return { session, user: { id: row.user_id, email: row.email } };
}

export async function invalidateSession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", sessionId).execute();
}
