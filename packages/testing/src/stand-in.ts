import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
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

/** What every stand-in's controls share: injected failures, an outage that holds requests open, and closing. */
export class Controls implements Pick<StandIn, "failNext" | "setDown"> {
  private failures: { status: number; left: number } | null = null;
  private readonly held = new Set<ServerResponse>();
  down = false;

  /** The status of an injected failure due for this request, if one is. */
  takeFailure(): number | null {
    return this.failures && this.failures.left-- > 0 ? this.failures.status : null;
  }

  /** Keeps a request open, unanswered, until the stand-in is up again or closed. */
  hold(res: ServerResponse): void {
    this.held.add(res);
    res.on("close", () => this.held.delete(res));
  }

  failNext(status: number, times = 1): void {
    this.failures = { status, left: times };
  }

  setDown(down: boolean): void {
    this.down = down;
    if (!down) for (const res of this.held) res.destroy();
  }

  /** Destroying the sockets ends held and half-sent replies too. */
  close(server: Server): Promise<void> {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  }
}

/** Reads a request whole: method, path, query, headers and its JSON body, or why the body is not JSON. */
export async function readRequest(req: IncomingMessage): Promise<{ request: RecordedRequest; parseError: string | null }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? "/", "http://stand-in");
  const text = Buffer.concat(chunks).toString("utf8");
  const request: RecordedRequest = {
    method: req.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    body: undefined,
  };
  try {
    request.body = text ? JSON.parse(text) : undefined;
    return { request, parseError: null };
  } catch (error) {
    return { request, parseError: (error as Error).message };
  }
}

export async function startStandIn(
  handle: (request: RecordedRequest) => Reply,
  errorBody: (status: number, message: string, request: RecordedRequest) => unknown,
): Promise<StandIn> {
  const requests: RecordedRequest[] = [];
  const controls = new Controls();

  const server = createServer(async (req, res) => {
    const { request, parseError } = await readRequest(req);
    let reply: Reply | null = parseError === null ? null : { status: 400, body: errorBody(400, `Format error in JSON body: ${parseError}`, request) };
    requests.push(request);
    if (controls.down) return controls.hold(res);
    const failure = reply ? null : controls.takeFailure();
    if (failure) reply = { status: failure, body: errorBody(failure, "injected failure", request) };
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
    failNext: (status, times) => controls.failNext(status, times),
    setDown: (down) => controls.setDown(down),
    close: () => controls.close(server),
  };
}
