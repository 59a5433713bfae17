import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { Deps } from "../deps.ts";

export interface Context {
  deps: Deps;
  req: IncomingMessage;
  res: ServerResponse;
  /** The client's address: the socket's, or with TRUST_PROXY the last hop the proxy appended to X-Forwarded-For. */
  ip: string | null;
  requestId: string;
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

export function createContext(deps: Deps, req: IncomingMessage, res: ServerResponse, requestId: string): Context {
  let log: Logger | undefined;
  return {
    deps,
    req,
    res,
    ip: clientIp(req, deps.env.TRUST_PROXY),
    requestId,
    log: () => (log ??= deps.log.child({ reqId: requestId })),
  };
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header(req, "authorization") ?? "");
  return match?.[1];
}
