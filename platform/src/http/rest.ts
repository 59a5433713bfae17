import type { IncomingMessage, ServerResponse } from "node:http";
import type { RestErrorBody } from "@bizbot/shared";
import { callTRPCProcedure, getTRPCErrorFromUnknown, type AnyProcedure, type AnyRouter } from "@trpc/server";
import type { z } from "zod";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { createContext } from "../trpc/context.ts";
import { describeError } from "../trpc/errors.ts";
import type { Meta } from "../trpc/init.ts";
import { readJsonBody } from "./body.ts";

export const REST_PREFIX = "/v1";
const MAX_BODY_BYTES = 1_000_000;

export interface RestRoute {
  method: string;
  /** The template as documented, e.g. `/v1/keys/{id}`; also the metrics label. */
  template: string;
  pattern: RegExp;
  params: string[];
  procedurePath: string;
  procedure: AnyProcedure;
  meta: Meta & { rest: NonNullable<Meta["rest"]> };
}

/** Every procedure by its dotted path ("keys.revoke"): tRPC keeps them flat at run time, though typed nested. */
export function flatProcedures(router: AnyRouter): Record<string, AnyProcedure> {
  return router._def.procedures as unknown as Record<string, AnyProcedure>;
}

/** Every procedure whose meta asks for REST becomes a route: REST is generated from the tRPC procedures. */
export function restRoutes(router: AnyRouter): RestRoute[] {
  const routes: RestRoute[] = [];
  for (const [procedurePath, procedure] of Object.entries(flatProcedures(router))) {
    const meta = procedure._def.meta as Meta | undefined;
    if (!meta?.rest) continue;
    const template = `${REST_PREFIX}${meta.rest.path}`;
    const params: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_, name: string) => {
      params.push(name);
      return "([^/]+)";
    });
    routes.push({ method: meta.rest.method, template, pattern: new RegExp(`^${source}$`), params, procedurePath, procedure, meta: meta as RestRoute["meta"] });
  }
  return routes;
}

export function inputSchemaOf(route: RestRoute): z.ZodType | undefined {
  return (route.procedure._def as unknown as { inputs?: z.ZodType[] }).inputs?.[0];
}

/** Serves one /v1 request; answers JSON, and errors as `{"error":{"code","message"}}`. */
export function createRestHandler(deps: Deps, router: AnyRouter, routes: RestRoute[]) {
  return async function handleRest(req: IncomingMessage, res: ServerResponse, pathname: string, query: URLSearchParams, route: RestRoute | undefined) {
    try {
      if (!route) {
        const pathExists = routes.some((r) => r.pattern.test(pathname));
        throw pathExists
          ? new DomainError("method_not_allowed", `${req.method} is not supported on ${pathname}`)
          : new DomainError("not_found", `No route ${req.method} ${pathname}; see ${REST_PREFIX}/openapi.json`);
      }
      const input = await restInput(req, route, pathname, query);
      const data = await callTRPCProcedure({
        router,
        path: route.procedurePath,
        type: route.procedure._def.type,
        ctx: createContext(deps, req, res),
        getRawInput: async () => input,
        signal: undefined,
        batchIndex: 0,
      });
      sendJson(res, 200, data);
    } catch (cause) {
      const described = describeError(getTRPCErrorFromUnknown(cause));
      if (described.internal) deps.log.error({ err: cause, route: route?.template }, "REST request failed");
      if (described.retryAfterSeconds) res.setHeader("Retry-After", String(described.retryAfterSeconds));
      const body: RestErrorBody = {
        error: { code: described.reason, message: described.message, ...(described.fields ? { fields: described.fields } : {}) },
      };
      sendJson(res, described.status, body);
    }
  };
}

export function matchRoute(routes: RestRoute[], method: string, pathname: string): RestRoute | undefined {
  return routes.find((r) => r.method === method && r.pattern.test(pathname));
}

/** Path parameters, then the query string (GET, DELETE) or the JSON body (POST, PATCH), as one input object. */
async function restInput(req: IncomingMessage, route: RestRoute, pathname: string, query: URLSearchParams): Promise<unknown> {
  const match = route.pattern.exec(pathname)!;
  const params = Object.fromEntries(route.params.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
  const hasBody = route.method === "POST" || route.method === "PATCH";
  const rest = hasBody ? await readJsonBody(req, MAX_BODY_BYTES) : Object.fromEntries(query);
  if (!inputSchemaOf(route)) return undefined;
  if (rest !== undefined && (typeof rest !== "object" || rest === null || Array.isArray(rest))) {
    throw new DomainError("invalid_input", "The request body must be a JSON object");
  }
  return { ...(rest as object | undefined), ...params };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
