import type { ReactNode } from "react";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration } from "react-router";
import type { Route } from "./+types/root";

const css = `
  body { font-family: system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #fafafa; line-height: 1.5; }
  main { max-width: 40rem; margin: 4rem auto; padding: 0 1.5rem; }
  a { color: #0b57d0; }
  a:focus-visible { outline: 2px solid currentColor; outline-offset: 2px; }
`;

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        <style>{css}</style>
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  let title = "Something went wrong";
  let detail = "An unexpected error occurred.";
  let stack: string | undefined;

  if (isRouteErrorResponse(error)) {
    title = error.status === 404 ? "Page not found" : `Error ${error.status}`;
    detail = error.status === 404 ? "The page you asked for does not exist." : error.statusText || detail;
  } else if (import.meta.env.DEV && error instanceof Error) {
    // Only in development: production server errors are already sanitised by React Router.
    detail = error.message;
    stack = error.stack;
  }

  return (
    <main>
      <h1>{title}</h1>
      <p role="alert">{detail}</p>
      {stack && (
        <pre>
          <code>{stack}</code>
        </pre>
      )}
    </main>
  );
}
