import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Deps } from "../deps.ts";

/** Where response headers go: the response itself, or (REST) a bag that sendJson sends in one writeHead. */
export interface HeaderSink {
  setHeader(name: string, value: string): unknown;
  /** REST answers with this status instead of 200 (202 for a run still going); tRPC has no such sink. */
  setStatus?(status: number): void;
}

export interface Context {
  deps: Deps;
  req: IncomingMessage;
  res: ServerResponse;
  /** Response headers set while the request runs (rate limits, CORS): set them here, not on `res`. */
  headers: HeaderSink;
  /** The client's address: the socket's, or with TRUST_PROXY the last hop the proxy appended to X-Forwarded-For. */
  ip: string | null;
  requestId: string;
  /**
   * What a tRPC SSE subscription sent as `connectionParams`: a browser's EventSource cannot set headers, so the
   * widget's key and visitor fingerprint come this way when it streams.
   */
  connectionParams?: Record<string, string | undefined> | null;
  /**
   * The logger for this request: every line it writes carries the request id. A function, made on first call, so
   * that copying the context (tRPC does, at every middleware) costs nothing.
   */
  log(): Logger;
}

export function clientIp(req: IncomingMessage, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    const last = (Array.isArray(forwarded) ? forwarded.join(",") : forwarded)?.split(",").pop()?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? null;
}

export function createContext(deps: Deps, req: IncomingMessage, res: ServerResponse, requestId: string, headers: HeaderSink = res): Context {
  return { deps, req, res, headers, ip: clientIp(req, deps.env.TRUST_PROXY), requestId, log: lazyChild(deps.log, requestId) };
}

// A closure made here, not in the object literal above: there, tsx (esbuild's keepNames) wraps it in a
// `__name(fn, "log")` call, an Object.defineProperty on every request.
function lazyChild(parent: Logger, reqId: string): () => Logger {
  let log: Logger | undefined;
  return () => (log ??= parent.child({ reqId }));
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A header, or for an SSE subscription the connection parameter of the same name. */
export function headerOrParam(ctx: Pick<Context, "req" | "connectionParams">, name: string): string | undefined {
  return header(ctx.req, name) ?? (typeof ctx.connectionParams?.[name] === "string" ? ctx.connectionParams[name] : undefined);
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header(req, "authorization") ?? "");
  return match?.[1];
}

/** Whether the client asked for Server-Sent Events. */
export function acceptsEventStream(req: IncomingMessage): boolean {
  return /\btext\/event-stream\b/.test(header(req, "accept") ?? "");
}
