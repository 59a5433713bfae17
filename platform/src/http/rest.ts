import type { IncomingMessage, ServerResponse } from "node:http";
import type { RestErrorBody } from "@bizbot/shared";
import { callTRPCProcedure, getTRPCErrorFromUnknown, TRPCError, type AnyProcedure, type AnyRouter } from "@trpc/server";
import type { z } from "zod";
import { DomainError } from "../errors.ts";
import { acceptsEventStream, type Context } from "../trpc/context.ts";
import { describeError } from "../trpc/errors.ts";
import type { Meta, Tier } from "../trpc/init.ts";
import { secretKeyAccess } from "../trpc/procedures.ts";
import { readBody } from "./body.ts";

export const REST_PREFIX = "/v1";
/** Room for a 10 MB document in JSON, or a 10 MB PDF in base64; the knowledge service answers 413 past 10 MB. */
export const MAX_BODY_BYTES = 15 * 1024 * 1024;

export interface RestRoute {
  method: string;
  /** The template as documented, e.g. `/v1/keys/{id}`; also the metrics label. */
  template: string;
  pattern: RegExp;
  params: string[];
  procedurePath: string;
  procedure: AnyProcedure;
  meta: Meta & { rest: NonNullable<Meta["rest"]> };
  /** Set when REST can run the procedure itself: its tier check, its schemas and its resolver, nothing else. */
  fast?: FastPath;
}

interface FastPath {
  access: (ctx: Context) => Promise<object>;
  input?: z.ZodType;
  output?: z.ZodType;
  resolver: (opts: { ctx: object; input: unknown; path: string; type: string; signal: AbortSignal | undefined; batchIndex: number }) => Promise<unknown>;
}

/** Tiers whose whole check is one plain function, which REST can call without tRPC's middleware chain. */
const fastAccess: Partial<Record<Tier, (ctx: Context) => Promise<object>>> = { tenant: secretKeyAccess };

/**
 * tRPC's middleware chain costs several microseconds a step, most of a /v1 request's time. A procedure made only of
 * its tier, its input and output schemas and its resolver is run directly; one with any other middleware (a role
 * check, say) goes through tRPC, so nothing a procedure declares is ever skipped.
 */
function fastPathOf(procedure: AnyProcedure, tier: Tier): FastPath | undefined {
  const def = procedure._def as unknown as {
    inputs: z.ZodType[];
    output?: z.ZodType;
    middlewares: unknown[];
    resolver?: FastPath["resolver"];
  };
  const access = fastAccess[tier];
  const expected = 1 + def.inputs.length + (def.output ? 1 : 0) + 1;
  if (!access || !def.resolver || def.inputs.length > 1 || def.middlewares.length !== expected) return undefined;
  return { access, input: def.inputs[0], output: def.output, resolver: def.resolver };
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
    routes.push({
      method: meta.rest.method,
      template,
      pattern: new RegExp(`^${source}$`),
      params,
      procedurePath,
      procedure,
      meta: meta as RestRoute["meta"],
      fast: fastPathOf(procedure, meta.tier),
    });
  }
  return routes;
}

export function inputSchemaOf(route: RestRoute): z.ZodType | undefined {
  return (route.procedure._def as unknown as { inputs?: z.ZodType[] }).inputs?.[0];
}

/**
 * A REST response's headers, gathered while the request runs (the context's `headers`) and sent by sendJson with
 * the status in one writeHead. Node's setHeader() validates, lower-cases and stores each header in a dictionary
 * object, and a writeHead() after any setHeader() takes its slow path: together several µs on a small request.
 */
export class ResponseHeaders {
  readonly values: Record<string, string>;
  /** The success status; a procedure may set another (202 for a run still going). */
  status = 200;
  constructor(requestId: string) {
    this.values = { "X-Request-Id": requestId };
  }
  setHeader(name: string, value: string): void {
    this.values[name] = value;
  }
  setStatus(status: number): void {
    this.status = status;
  }
}

/** Serves one /v1 request; answers JSON (or a stream's events, see sendEvents), and errors as `{"error":{"code","message"}}`. */
export function createRestHandler(router: AnyRouter, routes: RestRoute[]) {
  return async function handleRest(ctx: Context, headers: ResponseHeaders, pathname: string, query: URLSearchParams, route: RestRoute | undefined) {
    const { req, res } = ctx;
    try {
      if (!route) {
        const pathExists = routes.some((r) => r.pattern.test(pathname));
        throw pathExists
          ? new DomainError("method_not_allowed", `${req.method} is not supported on ${pathname}`)
          : new DomainError("not_found", `No route ${req.method} ${pathname}; see ${REST_PREFIX}/openapi.json`);
      }
      // The body is read only once the caller is authenticated: no one unknown gets to make us read megabytes.
      const input = inputReader(req, route, pathname, query);
      const streaming = route.procedure._def.type === "subscription";
      // A stream stops when its client goes away (a model call with it); a plain call has nothing to stop.
      const signal = streaming ? closeSignal(res) : undefined;
      const data = route.fast
        ? await runFast(route.fast, route, ctx, input, signal)
        : await callTRPCProcedure({
            router,
            path: route.procedurePath,
            type: route.procedure._def.type,
            ctx,
            getRawInput: input,
            signal,
            batchIndex: 0,
          });
      if (streaming) return await sendEvents(req, res, data as AsyncIterable<unknown>, headers, ctx.log);
      sendJson(res, headers.status, data, headers.values);
    } catch (cause) {
      sendJson(res, ...errorResponse(ctx, cause, route, headers));
    }
  };
}

function errorResponse(ctx: Context, cause: unknown, route: RestRoute | undefined, headers: ResponseHeaders): [number, RestErrorBody, Record<string, string>] {
  const described = describeError(getTRPCErrorFromUnknown(cause));
  if (described.internal) ctx.log().error({ err: cause, route: route?.template }, "REST request failed");
  if (described.retryAfterSeconds) headers.setHeader("Retry-After", String(described.retryAfterSeconds));
  return [
    described.status,
    { error: { code: described.reason, message: described.message, ...(described.fields ? { fields: described.fields } : {}) } },
    headers.values,
  ];
}

function closeSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/**
 * A streaming procedure's events: as Server-Sent Events (`event: <type>`, `data: <json>`) when the client accepts
 * text/event-stream, otherwise as one JSON answer, the last event. The first event is awaited before any byte is
 * sent, so that a refusal (not found, no credits…) is still a plain error with its status.
 */
async function sendEvents(
  req: IncomingMessage,
  res: ServerResponse,
  events: AsyncIterable<unknown>,
  sink: ResponseHeaders,
  log: Context["log"],
): Promise<void> {
  const iterator = events[Symbol.asyncIterator]();
  let next = await iterator.next();
  const headers = sink.values;
  if (!acceptsEventStream(req)) {
    let last: unknown = null;
    for (; !next.done; next = await iterator.next()) last = next.value;
    return sendJson(res, sink.status, last, headers);
  }
  res.writeHead(200, {
    ...headers,
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache",
    Connection: "keep-alive",
    "X-Accel-Buffering": "no",
  });
  try {
    for (; !next.done && !res.destroyed; next = await iterator.next()) {
      const type = (next.value as { type?: unknown })?.type;
      res.write(`${typeof type === "string" ? `event: ${type}\n` : ""}data: ${JSON.stringify(next.value)}\n\n`);
    }
  } catch (cause) {
    // Headers are gone: the failure becomes the stream's last event.
    const described = describeError(getTRPCErrorFromUnknown(cause));
    if (described.internal) log().error({ err: cause }, "REST stream failed");
    res.write(`event: error\ndata: ${JSON.stringify({ error: { code: described.reason, message: described.message } })}\n\n`);
  } finally {
    await iterator.return?.();
    res.end();
  }
}

async function runFast(fast: FastPath, route: RestRoute, ctx: Context, readInput: () => Promise<unknown>, signal: AbortSignal | undefined): Promise<unknown> {
  const extra = await fast.access(ctx);
  const raw = await readInput();
  let input: unknown;
  if (fast.input) {
    const parsed = await fast.input.safeParseAsync(raw);
    if (!parsed.success) throw new TRPCError({ code: "BAD_REQUEST", cause: parsed.error });
    input = parsed.data;
  }
  // Object.assign, not `{ ...ctx, ...extra }`: in V8 a spread followed by more properties leaves the fast clone
  // path and costs ~2 µs; this copies the same own properties in a tenth of that.
  const data = await fast.resolver({
    ctx: Object.assign({}, ctx, extra),
    input,
    path: route.procedurePath,
    type: route.procedure._def.type,
    signal,
    batchIndex: 0,
  });
  return fast.output ? fast.output.parse(data) : data;
}

export function matchRoute(routes: RestRoute[], method: string, pathname: string): RestRoute | undefined {
  return routes.find((r) => r.method === method && r.pattern.test(pathname));
}

// A closure made here, not as `const input = () => …` in handleRest: there, tsx (esbuild's keepNames) wraps it in
// a `__name(fn, "input")` call, an Object.defineProperty on every request.
function inputReader(req: IncomingMessage, route: RestRoute, pathname: string, query: URLSearchParams): () => Promise<unknown> {
  return () => restInput(req, route, pathname, query);
}

/** Path parameters, then the query string (GET, DELETE) or the body (POST, PATCH; JSON or a form), as one input object. */
async function restInput(req: IncomingMessage, route: RestRoute, pathname: string, query: URLSearchParams): Promise<unknown> {
  const hasBody = route.method === "POST" || route.method === "PATCH";
  // Nothing to parse (GET /v1/tenant, say): skip the regex and the two fromEntries.
  if (!hasBody && route.params.length === 0 && !inputSchemaOf(route)) return undefined;
  const match = route.pattern.exec(pathname)!;
  const params = Object.fromEntries(route.params.map((name, i) => [name, decodePathPart(match[i + 1]!)]));
  const rest = hasBody ? await readBody(req, MAX_BODY_BYTES) : Object.fromEntries(query);
  if (!inputSchemaOf(route)) return undefined;
  if (rest !== undefined && (typeof rest !== "object" || rest === null || Array.isArray(rest))) {
    throw new DomainError("invalid_input", "The request body must be a JSON object");
  }
  // A body's route may also take some fields from the query string; only those it declares.
  const fromQuery =
    hasBody && route.meta.rest.query ? Object.fromEntries(route.meta.rest.query.flatMap((name) => (query.has(name) ? [[name, query.get(name)]] : []))) : {};
  return { ...(rest as object | undefined), ...fromQuery, ...params };
}

function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new DomainError("invalid_input", "The URL path is not valid percent-encoding");
  }
}

/** Sends `body` as JSON with `headers` (if given) in one writeHead. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  headers["Content-Type"] = "application/json; charset=utf-8";
  headers["Content-Length"] = String(Buffer.byteLength(text));
  res.writeHead(status, headers);
  res.end(text);
}
