import { env } from "../lib/env.server.ts";
import type { Route } from "./+types/home";

const HEALTH_TIMEOUT_MS = 2_000;

type PlatformStatus = { reachable: true } | { reachable: false; reason: string };

async function checkPlatform(baseUrl: string): Promise<PlatformStatus> {
  try {
    const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    // The body is not needed; drain it so the connection can be reused.
    await res.body?.cancel();
    return res.ok ? { reachable: true } : { reachable: false, reason: `HTTP ${res.status}` };
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    return { reachable: false, reason: timedOut ? "timed out" : "connection failed" };
  }
}

export function meta(_: Route.MetaArgs) {
  return [{ title: "BizBot portal" }, { name: "description", content: "The BizBot tenant portal is coming soon." }];
}

export async function loader(_: Route.LoaderArgs) {
  const status = await checkPlatform(env.PLATFORM_URL);
  return { platformUrl: env.PLATFORM_URL, openApiUrl: `${env.PLATFORM_URL}/v1/openapi.json`, status };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const { platformUrl, openApiUrl, status } = loaderData;
  return (
    <main>
      <h1>BizBot portal — coming soon</h1>
      <p>The tenant portal is on its way. Until then, the platform API is documented below.</p>
      <section aria-labelledby="platform-heading">
        <h2 id="platform-heading">Platform status</h2>
        <p role="status">
          {status.reachable ? (
            <>
              <span aria-hidden="true" style={{ color: "#137333" }}>
                ●
              </span>{" "}
              The platform at <code>{platformUrl}</code> is reachable.
            </>
          ) : (
            <>
              <span aria-hidden="true" style={{ color: "#b3261e" }}>
                ●
              </span>{" "}
              The platform at <code>{platformUrl}</code> is unreachable ({status.reason}).
            </>
          )}
        </p>
        <p>
          <a href={openApiUrl}>OpenAPI description of the REST API (/v1/openapi.json)</a>
        </p>
      </section>
    </main>
  );
}
