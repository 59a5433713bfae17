import { Link, NavLink, Outlet } from "react-router";

/** The platform's own site: what BizBot is, its prices, and the way in. */
export default function PublicLayout() {
  const navClass = ({ isActive }: { isActive: boolean }) =>
    `rounded-md px-3 py-2 text-sm font-medium ${isActive ? "text-indigo-700 dark:text-indigo-300" : "text-gray-700 hover:text-gray-950 dark:text-gray-300 dark:hover:text-white"}`;
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <header className="border-b border-gray-200 bg-white/80 dark:border-gray-800 dark:bg-gray-950/80">
        <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-2 px-4 py-3">
          <Link to="/" className="mr-auto flex items-center gap-2 text-lg font-bold tracking-tight">
            <span aria-hidden="true" className="grid size-8 place-items-center rounded-lg bg-indigo-600 text-white">
              B
            </span>
            BizBot
          </Link>
          <NavLink to="/pricing" className={navClass}>
            Pricing
          </NavLink>
          <NavLink to="/login" className={navClass}>
            Sign in
          </NavLink>
          <Link to="/signup" className="btn-primary">
            Sign up
          </Link>
        </nav>
      </header>
      <main id="main" className="flex-1">
        <Outlet />
      </main>
      <footer className="border-t border-gray-200 py-8 text-center text-sm dark:border-gray-800">
        <p className="muted">BizBot · AI support and business agents for your website · Credits are $0.04 each, no subscription needed</p>
      </footer>
    </div>
  );
}
