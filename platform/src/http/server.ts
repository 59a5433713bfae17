import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { AnyProcedure, TRPCError } from "@trpc/server";
import { nodeHTTPRequestHandler } from "@trpc/server/adapters/node-http";
import type { Deps } from "../deps.ts";
import { createContext, type Context } from "../trpc/context.ts";
import { describeError } from "../trpc/errors.ts";
import type { Meta } from "../trpc/init.ts";
import { PUBLISHABLE_KEY_HEADER, VISITOR_HEADER } from "../trpc/procedures.ts";
import { appRouter } from "../trpc/router.ts";
import { openApiDocument } from "./openapi.ts";
import { serveHome } from "./pages.ts";
import { readiness } from "./ready.ts";
import { createRestHandler, flatProcedures, matchRoute, MAX_BODY_BYTES, ResponseHeaders, REST_PREFIX, restRoutes, sendJson } from "./rest.ts";
import { serveStripeWebhook } from "./stripe-webhook.ts";
import { serveWidgetConfig, serveWidgetScript } from "./widget.ts";

const TRPC_PREFIX = "/trpc/";
const WIDGET_PREFIX = "/widget/";
const OPENAPI_PATH = `${REST_PREFIX}/openapi.json`;
const QUIET_ROUTES = new Set(["/health", "/ready", "/metrics"]);

/** The platform's one HTTP entry: health, metrics, the widget, Stripe's webhook, tRPC, REST /v1. Every request gets an id that its log lines carry. */
export function createRequestListener(deps: Deps): RequestListener {
  const procedures = flatProcedures(appRouter);
  const routes = restRoutes(appRouter);
  const handleRest = createRestHandler(appRouter, routes);
  const openApi = JSON.stringify(openApiDocument(routes, deps.env.PUBLIC_URL));

  const handleTrpc = (ctx: Context, path: string) =>
    nodeHTTPRequestHandler({
      router: appRouter,
      req: ctx.req,
      res: ctx.res,
      path,
      maxBodySize: MAX_BODY_BYTES,
      createContext: ({ info }) => {
        if (info.connectionParams) ctx.connectionParams = info.connectionParams;
        return ctx;
      },
      onError: logInternalError,
      // tRPC writes its own Vary; answers that depend on the Origin (CORS) must say so to caches.
      responseMeta: varyByOrigin,
    });
  // Made once: tRPC hands each error its request's context.
  const logInternalError = ({ error, path, ctx }: { error: TRPCError; path: string | undefined; ctx?: Context | undefined }) => {
    if (describeError(error).internal) (ctx?.log() ?? deps.log).error({ err: error.cause ?? error, procedure: path }, "procedure failed");
  };
  const observe = (method: string, route: string, status: number, seconds: number) =>
    deps.metrics.httpDuration.labels(method, route, String(status)).observe(seconds);

  return (req, res) => {
    const requestId = validRequestId(req.headers["x-request-id"]) ?? randomUUID();
    const started = process.hrtime.bigint();
    // Split by hand: new URL() on every request is a measurable share of a small request's cost.
    const rawUrl = req.url ?? "/";
    const queryAt = rawUrl.indexOf("?");
    const pathname = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
    // REST /v1 sends X-Request-Id with its other headers, in one writeHead (ResponseHeaders); the rest get it now.
    const isRest = pathname.startsWith(`${REST_PREFIX}/`) && pathname !== OPENAPI_PATH;
    if (!isRest) res.setHeader("X-Request-Id", requestId);
    const method = req.method ?? "GET";
    let route = "(unmatched)";

    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      observe(method, route, res.statusCode, seconds);
      const level = QUIET_ROUTES.has(route) ? "debug" : "info";
      if (deps.log.isLevelEnabled(level)) {
        deps.log[level]({ reqId: requestId, method, route, path: pathname, status: res.statusCode, ms: Math.round(seconds * 1e4) / 10 }, "request");
      }
    });

    (async () => {
      try {
        if (pathname === "/" && method === "GET") {
          route = pathname;
          return serveHome(deps, res);
        }
        if (pathname === "/widget.js" && (method === "GET" || method === "HEAD")) {
          route = pathname;
          return await serveWidgetScript(deps, req, res, { loader: true });
        }
        if (pathname === "/widget/config" && method === "GET") {
          route = pathname;
          return await serveWidgetConfig(deps, req, res, new URLSearchParams(queryAt === -1 ? "" : rawUrl.slice(queryAt + 1)));
        }
        if (pathname.startsWith(WIDGET_PREFIX) && (method === "GET" || method === "HEAD")) {
          // One label for every name: the app's (its hash changes each release) and any junk alike.
          route = "/widget/(file)";
          return await serveWidgetScript(deps, req, res, { app: pathname.slice(WIDGET_PREFIX.length) });
        }
        if (pathname === "/webhooks/stripe" && method === "POST") {
          route = pathname;
          return await serveStripeWebhook(deps, req, res);
        }
        if (pathname === "/health" && method === "GET") {
          route = pathname;
          return sendJson(res, 200, { status: "ok" });
        }
        if (pathname === "/ready" && method === "GET") {
          route = pathname;
          const ready = await readiness(deps);
          return sendJson(res, ready.database === "up" ? 200 : 503, ready);
        }
        if (pathname === "/metrics" && method === "GET") {
          route = pathname;
          const text = await deps.metrics.registry.metrics();
          res.writeHead(200, { "Content-Type": deps.metrics.registry.contentType });
          return res.end(text);
        }
        if (pathname.startsWith(TRPC_PREFIX)) {
          const path = pathname.slice(TRPC_PREFIX.length);
          const names = path.split(",");
          route = names.length > 1 ? "/trpc/(batch)" : procedures[path] ? `/trpc/${path}` : "/trpc/(unknown)";
          const targets = names.map((n) => procedures[n]);
          if (method === "OPTIONS") return preflight(req, res, targets);
          const origin = req.headers.origin;
          if (origin && visitorOnly(targets)) {
            res.setHeader("Access-Control-Allow-Origin", origin);
            res.setHeader("Access-Control-Expose-Headers", "RateLimit, RateLimit-Policy, Retry-After");
          }
          return await handleTrpc(createContext(deps, req, res, requestId), path);
        }
        if (pathname === OPENAPI_PATH && method === "GET") {
          route = pathname;
          res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" });
          return res.end(openApi);
        }
        if (isRest) {
          const match = matchRoute(routes, method, pathname);
          route = match?.template ?? `${REST_PREFIX}/(unmatched)`;
          const query = new URLSearchParams(queryAt === -1 ? "" : rawUrl.slice(queryAt + 1));
          const headers = new ResponseHeaders(requestId);
          return await handleRest(createContext(deps, req, res, requestId, headers), headers, pathname, query, match);
        }
        sendJson(res, 404, { error: { code: "not_found", message: `No route ${method} ${pathname}` } });
      } catch (error) {
        deps.log.error({ err: error, reqId: requestId }, "unhandled request error");
        if (!res.headersSent) sendJson(res, 500, { error: { code: "internal", message: "Internal server error" } }, { "X-Request-Id": requestId });
        else res.destroy();
      }
    })();
  };
}

/**
 * CORS, for the widget on tenants' sites: a page on any origin may call and read the visitor procedures, and only
 * them (never a batch with another tier's procedure). Each visitor procedure refuses an origin its key does not
 * allow before it reads anything of the tenant's (visitorAccess), and the page can read that refusal, so that the
 * widget says why it cannot chat rather than showing a network failure.
 */
const visitorOnly = (targets: Array<AnyProcedure | undefined>) => targets.every((p) => (p?._def.meta as Meta | undefined)?.tier === "visitor");
const varyByOrigin = () => ({ headers: new Headers([["vary", "origin"]]) });

/** A browser asks before sending the widget's key header: granted for visitor procedures only. */
function preflight(req: IncomingMessage, res: ServerResponse, targets: Array<AnyProcedure | undefined>) {
  const origin = req.headers.origin;
  if (origin && visitorOnly(targets)) {
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Access-Control-Allow-Methods", "GET, POST");
    res.setHeader("Access-Control-Allow-Headers", `content-type, trpc-accept, ${PUBLISHABLE_KEY_HEADER}, ${VISITOR_HEADER}`);
    res.setHeader("Access-Control-Max-Age", "600");
  }
  res.setHeader("Vary", "Origin");
  res.writeHead(204).end();
}

function validRequestId(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" && /^[\w.:-]{1,64}$/.test(value) ? value : undefined;
}
