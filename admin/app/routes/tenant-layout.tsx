import { Form, NavLink, Outlet } from "react-router";
import { loadViewer, viewerContext } from "../lib/viewer.server.ts";
import type { Route } from "./+types/tenant-layout";

/** Every page below needs a signed-in member; the platform checks their role again on every call. */
export const middleware: Route.MiddlewareFunction[] = [
  async (args, next) => {
    await loadViewer(args);
    return next();
  },
];

export function loader({ context }: Route.LoaderArgs) {
  const { user, tenant, role, memberships } = context.get(viewerContext);
  return { user, tenant, role, memberships };
}

const sections = [
  { to: "/dashboard", label: "Dashboard" },
  { to: "/knowledge", label: "Knowledge" },
  { to: "/agents", label: "Agents" },
  { to: "/conversations", label: "Conversations" },
  { to: "/widget", label: "Widget" },
  { to: "/keys", label: "API keys" },
  { to: "/team", label: "Team" },
  { to: "/audit", label: "Audit log" },
  { to: "/billing", label: "Billing" },
  { to: "/settings", label: "Settings" },
];

function Nav() {
  return (
    <ul className="space-y-1">
      {sections.map((s) => (
        <li key={s.to}>
          <NavLink
            to={s.to}
            className={({ isActive }) =>
              `block rounded-md px-3 py-2 text-sm font-medium ${
                isActive
                  ? "bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200"
                  : "text-gray-700 hover:bg-gray-100 dark:text-gray-300 dark:hover:bg-gray-800"
              }`
            }
          >
            {s.label}
          </NavLink>
        </li>
      ))}
    </ul>
  );
}

export default function TenantLayout({ loaderData }: Route.ComponentProps) {
  const { user, tenant, role, memberships } = loaderData;
  const account = (
    <div className="space-y-3 border-t border-gray-200 pt-4 text-sm dark:border-gray-800">
      {memberships.length > 1 && (
        <Form method="post" action="/switch-tenant" className="space-y-1">
          <label htmlFor="tenant-switch" className="block text-xs font-medium">
            Workspace
          </label>
          <div className="flex gap-2">
            <select id="tenant-switch" name="tenantId" defaultValue={tenant.id} className="input py-1">
              {memberships.map((m) => (
                <option key={m.tenantId} value={m.tenantId}>
                  {m.tenantName}
                </option>
              ))}
            </select>
            <button type="submit" className="btn-secondary px-2 py-1">
              Switch
            </button>
          </div>
        </Form>
      )}
      <p className="truncate" title={user.email}>
        {user.email}
      </p>
      <Form method="post" action="/logout">
        <button type="submit" className="btn-secondary w-full">
          Sign out
        </button>
      </Form>
    </div>
  );
  return (
    <div className="min-h-screen lg:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      {/* Small screens: a disclosure that opens the same navigation, without JavaScript. */}
      <header className="flex items-center justify-between border-b border-gray-200 bg-white px-4 py-3 lg:hidden dark:border-gray-800 dark:bg-gray-900">
        <p className="font-bold">
          BizBot <span className="muted font-normal">· {tenant.name}</span>
        </p>
        <details className="group relative">
          <summary className="btn-secondary cursor-pointer list-none px-3 py-1">Menu</summary>
          <nav
            aria-label="Portal"
            className="absolute right-0 z-40 mt-2 w-64 space-y-4 rounded-lg border border-gray-200 bg-white p-4 shadow-lg dark:border-gray-800 dark:bg-gray-900"
          >
            <Nav />
            {account}
          </nav>
        </details>
      </header>
      <aside className="hidden w-64 shrink-0 flex-col gap-6 border-r border-gray-200 bg-white p-4 lg:flex dark:border-gray-800 dark:bg-gray-900">
        <div>
          <p className="flex items-center gap-2 text-lg font-bold">
            <span aria-hidden="true" className="grid size-8 place-items-center rounded-lg bg-indigo-600 text-white">
              B
            </span>
            BizBot
          </p>
          <p className="muted mt-1 truncate text-sm" title={tenant.name}>
            {tenant.name} · <span className="capitalize">{role}</span>
          </p>
        </div>
        <nav aria-label="Portal" className="flex-1">
          <Nav />
        </nav>
        {account}
      </aside>
      <main id="main" className="min-w-0 flex-1 px-4 py-6 sm:px-8">
        {role === "member" && (
          <p className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
            You are a member of this workspace, so you can see everything but change nothing. An owner can change your role.
          </p>
        )}
        <Outlet />
      </main>
    </div>
  );
}
