/**
 * Raw HTTP helpers that speak tRPC's wire format and REST, so tests can send anything, malformed input included,
 * and see exactly what a client would.
 */
export interface CallResult<T = unknown> {
  status: number;
  headers: Headers;
  /** `result.data` on success. */
  data?: T;
  /** tRPC's error envelope on failure: message, code and our data (reason, httpStatus, fields). */
  error?: {
    message: string;
    code: number;
    data: { code: string; httpStatus: number; reason: string; fields?: Record<string, string[]>; retryAfterSeconds?: number };
  };
}

export interface CallOptions {
  input?: unknown;
  headers?: Record<string, string>;
  /** Sends a raw body instead of JSON of `input` (mutations only). */
  rawBody?: string;
}

export async function trpcQuery<T = unknown>(baseUrl: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
  const query = options.input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(options.input))}`;
  const res = await fetch(`${baseUrl}/trpc/${path}${query}`, { headers: options.headers });
  return toResult<T>(res);
}

export async function trpcMutation<T = unknown>(baseUrl: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
  const res = await fetch(`${baseUrl}/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...options.headers },
    body: options.rawBody ?? (options.input === undefined ? undefined : JSON.stringify(options.input)),
  });
  return toResult<T>(res);
}

/**
 * A tRPC subscription over SSE, read until its first data or error event (or the stream's end): what a client
 * sees of a call that fails before streaming, as a CallResult (the error's status is its `httpStatus`).
 */
export async function trpcSubscription<T = unknown>(baseUrl: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
  const query = options.input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(options.input))}`;
  const res = await fetch(`${baseUrl}/trpc/${path}${query}`, {
    headers: { accept: "text/event-stream", ...options.headers },
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.headers.get("content-type")?.startsWith("text/event-stream")) return toResult<T>(res);
  for await (const { name, data } of sseEvents(res)) {
    if (name === "serialized-error" && data) {
      const error = JSON.parse(data) as NonNullable<CallResult["error"]>;
      return { status: error.data.httpStatus, headers: res.headers, error };
    }
    if (!name && data) return { status: res.status, headers: res.headers, data: JSON.parse(data) as T };
  }
  return { status: res.status, headers: res.headers };
}

/**
 * The `data:` payloads of an SSE response's unnamed events (a tRPC subscription's values), parsed as JSON, up to the
 * first for which `until` is true, or to the stream's end. The stream is closed when this returns.
 */
export async function readEvents<T = unknown>(res: Response, until: (event: T) => boolean): Promise<T[]> {
  const events: T[] = [];
  for await (const { name, data } of sseEvents(res)) {
    if (name !== undefined || !data) continue;
    const event = JSON.parse(data) as T;
    events.push(event);
    if (until(event)) break;
  }
  return events;
}

/** An SSE response's events as they arrive, each its name (none for an unnamed event) and its data line; closes the stream when done with. */
async function* sseEvents(res: Response): AsyncGenerator<{ name: string | undefined; data: string | undefined }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        yield { name: /^event: (.*)$/m.exec(event)?.[1], data: /^data: (.*)$/m.exec(event)?.[1] };
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

async function toResult<T>(res: Response): Promise<CallResult<T>> {
  const text = await res.text();
  const body = (text ? JSON.parse(text) : {}) as { result?: { data: T }; error?: CallResult["error"] };
  return { status: res.status, headers: res.headers, ...(body.result ? { data: body.result.data } : {}), ...(body.error ? { error: body.error } : {}) };
}

export interface RestResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export async function rest<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<RestResult<T>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(options.body === undefined ? {} : { "content-type": "application/json" }), ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
