import { redirect } from "react-router";
import { readSession, saveSession } from "../lib/session.server.ts";
import type { Route } from "./+types/switch-tenant";

/** Chooses which of the user's tenants the portal acts on; the platform refuses a tenant they are not a member of. */
export async function action({ request }: Route.ActionArgs) {
  const session = await readSession(request);
  if (!session) throw redirect("/login");
  const tenantId = (await request.formData()).get("tenantId");
  if (typeof tenantId !== "string" || !/^ten_[a-z2-7]{26}$/.test(tenantId)) throw new Response("Choose a tenant", { status: 400 });
  return redirect("/dashboard", { headers: { "set-cookie": await saveSession({ ...session, tenantId }) } });
}

export function loader() {
  return redirect("/dashboard");
}
