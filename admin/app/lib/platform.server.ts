import type { AppRouter } from "@bizbot/platform/router";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { env } from "./env.server.ts";

/** The one place that knows where the platform is. The portal holds no data: every loader and action asks it. */
export const PLATFORM_URL = env.PLATFORM_URL;
/** The platform as browsers reach it: the address of widget.js in the pages the portal draws. */
export const PLATFORM_PUBLIC_URL = env.PLATFORM_PUBLIC_URL ?? env.PLATFORM_URL;

export interface Caller {
  /** The session token from the portal's cookie; absent for public calls (sign-in, sign-up). */
  token?: string | undefined;
  /** Which of the user's tenants the call acts on; the platform checks the membership. */
  tenantId?: string | undefined;
  /** The browser's request, whose address and user agent the platform sees (it trusts them only behind TRUST_PROXY). */
  request?: Request | undefined;
}

/** A typed client of the platform's tRPC API, acting as the caller. Calls made in one tick share one request. */
export function platform(caller: Caller = {}) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${PLATFORM_URL}/trpc`,
        headers: () => {
          const headers: Record<string, string> = {};
          if (caller.token) headers.authorization = `Bearer ${caller.token}`;
          if (caller.tenantId) headers["x-bizbot-tenant"] = caller.tenantId;
          const userAgent = caller.request?.headers.get("user-agent");
          if (userAgent) headers["user-agent"] = userAgent;
          // Behind a proxy, the browser's address as the proxy gave it, so that the platform's per-address limits
          // (sign-in, password reset) count each person rather than the portal. The platform reads it only with
          // TRUST_PROXY set; otherwise every portal call counts as the portal's own address.
          const forwardedFor = caller.request?.headers.get("x-forwarded-for");
          if (forwardedFor) headers["x-forwarded-for"] = forwardedFor;
          return headers;
        },
      }),
    ],
  });
}

/** What the platform said when it refused: a sentence for people, the reason for code, and errors per field. */
export interface Problem {
  status: number;
  reason: string;
  message: string;
  fields: Record<string, string[]>;
}

interface ErrorData {
  httpStatus?: number;
  reason?: string;
  fields?: Record<string, string[]>;
}

/** Turns a failed platform call into a Problem; anything else (a bug in the portal) is thrown on. */
export function problemOf(error: unknown): Problem {
  if (!(error instanceof TRPCClientError)) throw error;
  const data = (error.data ?? {}) as ErrorData;
  if (!data.httpStatus) {
    // No envelope: the platform did not answer (down, or a proxy's page).
    return { status: 503, reason: "unavailable", message: "BizBot's servers could not be reached. Try again in a moment.", fields: {} };
  }
  return { status: data.httpStatus, reason: data.reason ?? "error", message: error.message, fields: data.fields ?? {} };
}

/** Runs a platform call and answers its value, or the Problem it was refused with. */
export async function attempt<T>(call: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; problem: Problem }> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, problem: problemOf(error) };
  }
}
