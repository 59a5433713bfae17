import { createCookie, redirect } from "react-router";
import { env } from "./env.server.ts";

/**
 * The session token lives only in this HttpOnly cookie on the portal's origin: page scripts cannot read it, and
 * SameSite=Lax keeps it off other sites' form posts. The token is a random secret checked by the platform, so the
 * cookie needs no signature; the tenant in it is only a preference, which the platform checks too.
 */
const sessionCookie = createCookie("bizbot_session", {
  httpOnly: true,
  sameSite: "lax",
  secure: env.NODE_ENV === "production",
  path: "/",
  // The platform's sessions slide up to 30 days; the cookie outlives none of them.
  maxAge: 30 * 24 * 60 * 60,
});

export interface PortalSession {
  token: string;
  tenantId?: string | undefined;
}

export async function readSession(request: Request): Promise<PortalSession | null> {
  const value = (await sessionCookie.parse(request.headers.get("cookie"))) as unknown;
  if (!value || typeof value !== "object") return null;
  const { token, tenantId } = value as Record<string, unknown>;
  if (typeof token !== "string" || token.length === 0 || token.length > 200) return null;
  return { token, tenantId: typeof tenantId === "string" ? tenantId : undefined };
}

export function saveSession(session: PortalSession): Promise<string> {
  return sessionCookie.serialize(session);
}

export function clearSession(): Promise<string> {
  return sessionCookie.serialize("", { maxAge: 0 });
}

export type ToastKind = "success" | "error";
export interface Toast {
  kind: ToastKind;
  message: string;
}

/** A message for the next page only: set on a redirect after a form post, shown once, then cleared. */
const toastCookie = createCookie("bizbot_toast", { httpOnly: true, sameSite: "lax", secure: env.NODE_ENV === "production", path: "/", maxAge: 60 });

export async function readToast(request: Request): Promise<{ toast: Toast | null; clear: string | null }> {
  const value = (await toastCookie.parse(request.headers.get("cookie"))) as Toast | null;
  if (!value || typeof value.message !== "string") return { toast: null, clear: null };
  return {
    toast: { kind: value.kind === "error" ? "error" : "success", message: value.message.slice(0, 300) },
    clear: await toastCookie.serialize("", { maxAge: 0 }),
  };
}

/** The Set-Cookie header that shows `toast` on the next page. */
export function toastHeader(toast: Toast): Promise<string> {
  return toastCookie.serialize(toast);
}

/** Post/redirect/get with a toast on the page it lands on; works without client JavaScript. */
export async function redirectWithToast(to: string, toast: Toast, init: { headers?: Headers } = {}): Promise<Response> {
  const headers = init.headers ?? new Headers();
  headers.append("set-cookie", await toastHeader(toast));
  return redirect(to, { headers });
}
