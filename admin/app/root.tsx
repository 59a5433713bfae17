import type { ReactNode } from "react";
import { data, isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration } from "react-router";
import type { Route } from "./+types/root";
import stylesheet from "./app.css?url";
import { Toaster } from "./components/toaster.tsx";
import { fromOwnOrigin } from "./lib/origin.server.ts";
import { readToast } from "./lib/session.server.ts";

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/** Every form post and action must come from the portal's own pages: the cookie alone proves nothing. */
export const middleware: Route.MiddlewareFunction[] = [
  async ({ request }, next) => {
    if (!fromOwnOrigin(request)) throw new Response("This form was sent from another site, so it was refused.", { status: 403 });
    return next();
  },
];

export async function loader({ request }: Route.LoaderArgs) {
  const { toast, clear } = await readToast(request);
  return data({ toast }, clear ? { headers: { "set-cookie": clear } } : undefined);
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <Outlet />
      <Toaster toast={loaderData.toast} />
    </>
  );
}

export function meta() {
  return [{ title: "BizBot" }];
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  let title = "Something went wrong";
  let detail = "An unexpected error occurred. Try again, and if it keeps happening, tell us.";
  let stack: string | undefined;

  if (isRouteErrorResponse(error)) {
    title = error.status === 404 ? "Page not found" : error.status === 403 ? "Not allowed" : `Error ${error.status}`;
    detail =
      error.status === 404 ? "The page you asked for does not exist." : typeof error.data === "string" && error.data ? error.data : error.statusText || detail;
  } else if (import.meta.env.DEV && error instanceof Error) {
    // Only in development: production server errors are already sanitised by React Router.
    detail = error.message;
    stack = error.stack;
  }

  return (
    <main className="mx-auto max-w-xl px-6 py-16">
      <title>{`${title} · BizBot`}</title>
      <h1 className="text-2xl font-bold">{title}</h1>
      <p role="alert" className="muted mt-2">
        {detail}
      </p>
      <p className="mt-6">
        <a className="link" href="/">
          Back to the start
        </a>
      </p>
      {stack && (
        <pre className="mt-6 overflow-auto text-xs">
          <code>{stack}</code>
        </pre>
      )}
    </main>
  );
}
