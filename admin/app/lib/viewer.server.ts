import { createContext, redirect, type RouterContextProvider } from "react-router";
import { platform, problemOf } from "./platform.server.ts";
import { clearSession, readSession } from "./session.server.ts";

export type Role = "owner" | "admin" | "member";

/** The signed-in person and the tenant they are acting on, for every page behind sign-in. */
export interface Viewer {
  user: { id: string; email: string };
  token: string;
  tenant: { id: string; name: string };
  role: Role;
  memberships: Array<{ tenantId: string; tenantName: string; role: Role }>;
}

export const viewerContext = createContext<Viewer>();

/** Where a signed-out visitor is sent, coming back to the page they asked for after signing in. */
export function signInRedirect(request: Request, headers?: HeadersInit): Response {
  const url = new URL(request.url);
  const next = url.pathname + url.search;
  return redirect(`/login?next=${encodeURIComponent(next)}`, { headers });
}

/** Middleware of the signed-in pages: the session's user and tenant, or the sign-in page. */
export async function loadViewer({ request, context }: { request: Request; context: Readonly<RouterContextProvider> }): Promise<void> {
  const session = await readSession(request);
  if (!session) throw signInRedirect(request);
  let me: Awaited<ReturnType<ReturnType<typeof platform>["auth"]["me"]["query"]>>;
  try {
    me = await platform({ token: session.token, request }).auth.me.query();
  } catch (error) {
    const problem = problemOf(error);
    if (problem.status === 401) throw signInRedirect(request, { "set-cookie": await clearSession() });
    throw new Response(problem.message, { status: problem.status });
  }
  const membership = me.memberships.find((m) => m.tenantId === session.tenantId) ?? me.memberships[0];
  if (!membership) throw redirect("/no-tenant");
  context.set(viewerContext, {
    user: me.user,
    token: session.token,
    tenant: { id: membership.tenantId, name: membership.tenantName },
    role: membership.role,
    memberships: me.memberships,
  });
}

/** A platform client acting as the viewer on their current tenant. */
export function viewerPlatform(context: Readonly<RouterContextProvider>, request?: Request) {
  const viewer = context.get(viewerContext);
  return platform({ token: viewer.token, tenantId: viewer.tenant.id, request });
}

export const canManage = (role: Role) => role === "owner" || role === "admin";
