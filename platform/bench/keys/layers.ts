/**
 * Diagnostic for `GET /v1/tenant` (not part of `npm run bench`): where the platform's time per request goes, by
 * serving the same answer through successively more of the real stack, each on its own node:http server in this
 * process, and measuring this process's CPU time per request under the same load.
 *
 *   reference  bare node:http, fixed bytes
 *   direct     Bearer parsing + keyVerifier.verify + sendJson: the work the route needs, without the frameworks
 *   rest       createRestHandler (route match, REST input, tRPC procedure call with its middlewares and output
 *              validation, sendJson), without server.ts's per-request wrapper
 *   platform   createRequestListener: the real server (request id, URL parse, AsyncLocalStorage scope, metrics, log)
 *
 * Round 1 runs `platform` last because its AsyncLocalStorage.run() switches on promise hooks for the whole process;
 * round 2 then shows what that costs every other layer.
 *
 * Run: npx tsx bench/keys/layers.ts   (BENCH_SECONDS, default 3; BENCH_CLIENT raw|agent, default raw)
 */
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { provisionTenant } from "../../src/auth/service.ts";
import { createRequestListener } from "../../src/http/server.ts";
import { createRestHandler, matchRoute, restRoutes, sendJson } from "../../src/http/rest.ts";
import { startApp } from "../../src/main.ts";
import { bearerToken } from "../../src/trpc/context.ts";
import { appRouter } from "../../src/trpc/router.ts";
import { testEnv } from "../../test/harness.ts";
import { fmt, LoadClient, machineLine, startReferenceServer, table } from "../lib.ts";

const SECONDS = Math.min(30, Math.max(1, Number(process.env.BENCH_SECONDS ?? 3)));
const CLIENT: "agent" | "raw" = process.env.BENCH_CLIENT === "agent" ? "agent" : "raw";

async function listen(listener: RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function main() {
  const app = await startApp(testEnv({ LOG_LEVEL: "silent" }));
  const client = new LoadClient();
  const servers: Array<{ close(): Promise<void> }> = [];
  try {
    const { deps } = app;
    console.log(`GET /v1/tenant layers — ${new Date().toISOString()} — ${machineLine()}`);
    console.log(`mode: ${deps.database.kind} + ${deps.redis ? "Redis" : "in-process bus"}; client ${CLIENT}, 32 connections, 1 s warm-up + ${SECONDS} s per layer\n`);
    const provisioned = await provisionTenant(
      deps.db,
      { name: "Bench Co", ownerEmail: `layers-${Date.now()}-${process.pid}@example.com`, modes: ["live"] },
      { type: "operator", id: null },
    );
    const secret = provisioned.keys.live!.secret.key;
    const headers = { authorization: `Bearer ${secret}` };

    const routes = restRoutes(appRouter);
    const handleRest = createRestHandler(deps, appRouter, routes);
    const direct: RequestListener = async (req, res) => {
      const token = bearerToken(req);
      const key = token ? await deps.keyVerifier.verify(token) : null;
      if (!key || key.kind !== "secret") return sendJson(res, 401, { error: { code: "invalid_api_key", message: "no" } });
      res.setHeader("X-Request-Id", "00000000-0000-4000-8000-000000000000");
      sendJson(res, 200, { id: key.tenantId, name: key.tenantName, mode: key.mode });
    };
    const rest: RequestListener = (req, res) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      res.setHeader("X-Request-Id", "00000000-0000-4000-8000-000000000000");
      void handleRest(req, res, url.pathname, url.searchParams, matchRoute(routes, req.method ?? "GET", url.pathname));
    };

    // Not one request to `platform` before its turn: see above. Every layer's body is checked against `direct`'s.
    const layers: Record<string, string> = {};
    const started: Record<string, string> = {};
    for (const [name, listener] of [["direct", direct], ["rest", rest], ["platform", createRequestListener(deps)]] as const) {
      const server = await listen(listener);
      servers.push(server);
      started[name] = server.url;
    }
    const body = await (await fetch(`${started.direct}/v1/tenant`, { headers })).text();
    const reference = await startReferenceServer(body, { "X-Request-Id": "00000000-0000-4000-8000-000000000000", "Content-Type": "application/json; charset=utf-8" });
    servers.push(reference);
    layers.reference = reference.url;
    Object.assign(layers, started);

    const rows: string[][] = [];
    const cpu: Record<string, number[]> = {};
    for (const round of [1, 2]) {
      for (const [name, url] of Object.entries(layers)) {
        const r = await client.run({ client: CLIENT, url: `${url}/v1/tenant`, headers, concurrency: 32, durationMs: SECONDS * 1_000, warmupMs: 1_000 });
        if (r.sample?.body !== body) throw new Error(`${name} answered ${r.sample?.status}: ${r.sample?.body}`);
        (cpu[name] ??= []).push(r.serverCpuUsPerRequest);
        rows.push([`${name} #${round}`, fmt(r.rps, 0), fmt(r.serverCpuUsPerRequest, 1), fmt(r.serverSysUsPerRequest, 1), `${fmt(r.serverElu * 100, 0)}%`, String(r.errors)]);
      }
    }
    console.log(table(["layer", "req/s", "server CPU µs/req", "of which kernel", "server loop busy", "errors"], rows));
    const min = (name: string) => Math.min(...cpu[name]!);
    console.log("\nadded server CPU per request (best of the two rounds):");
    console.log(`  direct - reference  (verify + JSON, our necessary work): ${fmt(min("direct") - min("reference"), 1)} µs`);
    console.log(`  rest - direct       (REST adapter + tRPC procedure call): ${fmt(min("rest") - min("direct"), 1)} µs`);
    console.log(`  platform - rest     (server.ts per-request wrapper):      ${fmt(min("platform") - min("rest"), 1)} µs`);
    console.log(`  platform / reference: ${fmt(min("platform") / min("reference"), 1)}x`);
  } finally {
    client.close();
    for (const server of servers) await server.close();
    await app.close(1_000);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
