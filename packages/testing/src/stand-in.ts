import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** The path without its query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The JSON body, or undefined when there was none. */
  body: unknown;
}

export interface Reply {
  status: number;
  body: unknown;
}

/** Thrown by a stand-in's handler to answer an error the way the real service does. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the HTTP stand-ins of outside services share: request recording, injected failures and outages. */
export interface StandIn {
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** The next `times` requests (default 1) answer `status` with the service's error body. */
  failNext(status: number, times?: number): void;
  /**
   * While down, requests are accepted and never answered, as when a host hangs behind a load balancer: the client
   * must give up through its own timeout. (A refused connection is what `close()` gives.)
   */
  setDown(down: boolean): void;
  close(): Promise<void>;
}

export async function startStandIn(
  handle: (request: RecordedRequest) => Reply,
  errorBody: (status: number, message: string, request: RecordedRequest) => unknown,
): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  const held = new Set<ServerResponse>();
  let failures: { status: number; left: number } | null = null;
  let down = false;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://stand-in");
    const text = Buffer.concat(chunks).toString("utf8");
    const request: RecordedRequest = { method: req.method ?? "GET", path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body: undefined };
    let reply: Reply | null = null;
    try {
      request.body = text ? JSON.parse(text) : undefined;
    } catch (error) {
      reply = { status: 400, body: errorBody(400, `Format error in JSON body: ${(error as Error).message}`, request) };
    }
    requests.push(request);
    if (down) {
      held.add(res);
      res.on("close", () => held.delete(res));
      return;
    }
    if (!reply && failures && failures.left-- > 0) reply = { status: failures.status, body: errorBody(failures.status, "injected failure", request) };
    try {
      reply ??= handle(request);
    } catch (error) {
      // A stand-in's own bug answers 500 rather than hanging the client until its timeout.
      const [status, message] = error instanceof HttpError ? [error.status, error.message] : [500, `Service internal error: ${(error as Error).message}`];
      reply = { status, body: errorBody(status, message, request) };
    }
    res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    failNext(status, times = 1) {
      failures = { status, left: times };
    },
    setDown(value) {
      down = value;
      if (!down) for (const res of held) res.destroy();
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
