import { redirect } from "react-router";
import { attempt, platform } from "../lib/platform.server.ts";
import { clearSession, readSession, toastHeader } from "../lib/session.server.ts";
import type { Route } from "./+types/logout";

/** Ends the session on the platform, then forgets the cookie: a copied cookie is worthless afterwards. */
export async function action({ request }: Route.ActionArgs) {
  const session = await readSession(request);
  // An expired session is already over; whatever the platform says, the cookie goes.
  if (session) await attempt(() => platform({ token: session.token, request }).auth.signOut.mutate());
  const headers = new Headers({ "set-cookie": await clearSession() });
  headers.append("set-cookie", await toastHeader({ kind: "success", message: "Signed out." }));
  return redirect("/login", { headers });
}

export function loader() {
  return redirect("/");
}
