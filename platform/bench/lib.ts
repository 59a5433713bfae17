/**
 * Shared helpers for the platform benchmarks. The machine is small (2 cores) and shared, so absolute times drift
 * from run to run: every benchmark reports a ratio against a reference measured in the same run, and only the
 * ratio is compared with a target.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createServer, Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

export interface Summary {
  count: number;
  mean: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Count, mean and percentiles of `samples` (any unit; the caller's). Does not modify `samples`. */
export function summarize(samples: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(samples).sort();
  let total = 0;
  for (const value of sorted) total += value;
  return {
    count: sorted.length,
    mean: sorted.length ? total / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    min: sorted.length ? sorted[0]! : Number.NaN,
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

/**
 * Times `iterations` sequential awaited calls of `fn`, each on its own with `process.hrtime.bigint()`, after
 * `warmup` untimed calls. Returns the per-call times in microseconds.
 */
export async function timeCalls(fn: () => unknown, iterations: number, warmup = Math.min(iterations, 2_000)): Promise<Float64Array> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samples[i] = Number(process.hrtime.bigint() - start) / 1_000;
  }
  return samples;
}

export interface LoadOptions {
  /** Only loopback targets: http://127.0.0.1:<port>/path. */
  url: string;
  headers?: OutgoingHttpHeaders;
  /** Requests in flight at once, each on its own keep-alive connection. */
  concurrency: number;
  durationMs: number;
  /** Untimed load before the measured window (JIT, connection set-up). */
  warmupMs?: number;
  /** Hard cap on requests per window, whatever the duration. */
  maxRequests?: number;
  /** Every response status must be this; anything else counts as an error. */
  expectStatus?: number;
  /**
   * "agent" (the default here): node:http requests over `http.Agent({ keepAlive: true, maxSockets: concurrency })`.
   * "raw": hand-written HTTP/1.1 GETs on keep-alive sockets, one in flight per socket; much cheaper per request, so
   * the generator is less often the bottleneck. Needs Content-Length responses.
   */
  client?: "agent" | "raw";
}

export interface LoadHooks {
  /** Called as the measured window opens (after the warm-up). */
  onWindowStart?: () => void;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** Measured window, in seconds. */
  seconds: number;
  rps: number;
  /** Per-request latency in microseconds, request start to last body byte. */
  latency: Summary;
  /** The raw latencies behind `latency`, to merge windows. */
  samples: Float64Array;
  /** One response body and its headers, to check what was served. */
  sample: { status: number; headers: IncomingHttpHeaders; body: string } | null;
}

/**
 * A closed-loop load generator: `concurrency` workers, each sends a request on its keep-alive connection, reads the
 * whole response, and sends the next, until the window ends (or `maxRequests`). It runs in the calling process;
 * `LoadClient` runs it in a child process so that it does not share the server's event loop (it still shares the
 * cores). Compare only results measured the same way.
 */
export async function httpLoad(options: LoadOptions, hooks: LoadHooks = {}): Promise<LoadResult> {
  const target = new URL(options.url);
  if (target.protocol !== "http:" || target.hostname !== "127.0.0.1") throw new Error(`httpLoad only loads http://127.0.0.1, not ${options.url}`);
  const maxRequests = options.maxRequests ?? 5_000_000;
  const expectStatus = options.expectStatus ?? 200;
  let send: () => Promise<Response>;
  let close: () => void;
  if (options.client === "raw") {
    const pool = Array.from({ length: options.concurrency }, () => new RawConnection(target, options.headers ?? {}));
    const idle = [...pool];
    send = async () => {
      const connection = idle.pop()!;
      try {
        return await connection.get();
      } finally {
        idle.push(connection);
      }
    };
    close = () => {
      for (const c of pool) c.close();
    };
  } else {
    const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency, maxFreeSockets: options.concurrency });
    send = () => get(target, options.headers ?? {}, agent);
    close = () => agent.destroy();
  }
  try {
    if (options.warmupMs) await window(Date.now() + options.warmupMs, false);
    hooks.onWindowStart?.();
    return await window(Date.now() + options.durationMs, true);
  } finally {
    close();
  }

  async function window(deadline: number, record: boolean): Promise<LoadResult> {
    const latencies: number[] = [];
    let requests = 0;
    let errors = 0;
    let sample: LoadResult["sample"] = null;
    const started = process.hrtime.bigint();
    const worker = async () => {
      while (Date.now() < deadline && requests + errors < maxRequests) {
        const t0 = process.hrtime.bigint();
        try {
          const response = await send();
          const us = Number(process.hrtime.bigint() - t0) / 1_000;
          if (response.status !== expectStatus) {
            errors++;
          } else {
            requests++;
            if (record) latencies.push(us);
          }
          sample ??= response;
        } catch {
          errors++;
          if (errors > 1_000) throw new Error(`httpLoad: more than 1000 errors against ${options.url}`);
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const samples = Float64Array.from(latencies);
    return { requests, errors, seconds, rps: requests / seconds, latency: summarize(samples), samples, sample };
  }
}

interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function get(url: URL, headers: OutgoingHttpHeaders, agent: Agent): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", headers, agent, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("request timed out")));
    req.on("error", reject);
    req.end();
  });
}

/** One keep-alive socket sending a fixed GET and reading Content-Length responses, one at a time. */
class RawConnection {
  private readonly request: Buffer;
  private socket: Socket | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: { resolve(r: Response): void; reject(e: Error): void; timer: NodeJS.Timeout } | null = null;

  constructor(
    private readonly url: URL,
    headers: OutgoingHttpHeaders,
  ) {
    const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, "Connection: keep-alive"];
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) lines.push(`${name}: ${String(value)}`);
    this.request = Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
  }

  get(): Promise<Response> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error("request timed out")), 10_000);
      this.pending = { resolve, reject, timer };
      this.connected().write(this.request);
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  private connected(): Socket {
    if (this.socket) return this.socket;
    const socket = connect({ host: this.url.hostname, port: Number(this.url.port), noDelay: true });
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (error) => this.fail(error));
    socket.on("close", () => {
      if (this.socket === socket) this.socket = null;
      this.fail(new Error("connection closed"));
    });
    this.buffer = Buffer.alloc(0);
    this.socket = socket;
    return socket;
  }

  private onData(chunk: Buffer) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const headEnd = this.buffer.indexOf("\r\n\r\n");
    if (headEnd < 0) return;
    const head = this.buffer.toString("latin1", 0, headEnd).split("\r\n");
    const headers: IncomingHttpHeaders = {};
    for (const line of head.slice(1)) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers["content-length"]);
    if (!Number.isInteger(length)) return this.fail(new Error("the raw client needs a Content-Length response"));
    if (this.buffer.length < headEnd + 4 + length) return;
    const body = this.buffer.toString("utf8", headEnd + 4, headEnd + 4 + length);
    this.buffer = this.buffer.subarray(headEnd + 4 + length);
    const pending = this.pending;
    this.pending = null;
    if (pending) {
      clearTimeout(pending.timer);
      pending.resolve({ status: Number(head[0]!.split(" ")[1]), headers, body });
    }
  }

  private fail(error: Error) {
    const pending = this.pending;
    this.pending = null;
    this.close();
    if (pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }
}

/**
 * The reference server: bare node:http answering every request with `body` and `headers`, nothing else. It stands
 * for the cost floor of serving the same bytes over the same transport.
 */
export async function startReferenceServer(body: string, headers: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const bytes = Buffer.from(body, "utf8");
  const all = { ...headers, "Content-Length": String(bytes.length) };
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, all);
    res.end(bytes);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
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

/** "PASS" or "FAIL". */
export function verdict(pass: boolean): "PASS" | "FAIL" {
  return pass ? "PASS" : "FAIL";
}

export function fmt(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return "n/a";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A plain-text table with right-aligned numeric columns. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** One line on the machine: benchmarks are compared by ratio, but the context helps read the absolute numbers. */
export function machineLine(): string {
  return `node ${process.version}, ${availableParallelism()} CPU(s), ${process.platform}/${process.arch}`;
}

export interface ServerSideLoadResult extends LoadResult {
  /** CPU time (user + system) of this process, the server's, per request of the measured window, in µs. */
  serverCpuUsPerRequest: number;
  /** The system (kernel) part of `serverCpuUsPerRequest`: socket reads and writes, mostly. */
  serverSysUsPerRequest: number;
  /** Event-loop utilization of this process during the measured window (1 = the server's thread never idled). */
  serverElu: number;
}

/**
 * Runs `httpLoad` in a child process (bench/load-client.ts) against a server in this process, and measures this
 * process's CPU time and event-loop utilization over the measured window: what serving cost the server.
 */
export class LoadClient {
  private readonly child: ChildProcess;
  private nextId = 1;

  constructor() {
    // The child inherits this process's execArgv, which carries tsx's loader.
    this.child = fork(fileURLToPath(new URL("./load-client.ts", import.meta.url)), [], { serialization: "advanced", stdio: "inherit" });
  }

  run(options: LoadOptions): Promise<ServerSideLoadResult> {
    const id = this.nextId++;
    const limitMs = (options.warmupMs ?? 0) + options.durationMs + 30_000;
    return new Promise((resolve, reject) => {
      let cpu = process.cpuUsage();
      let elu = performance.eventLoopUtilization();
      const timer = setTimeout(() => finish(new Error(`load client gave no result within ${limitMs} ms`)), limitMs);
      const onExit = (code: number | null) => finish(new Error(`load client exited (code ${code})`));
      const onMessage = (message: { type: string; id: number; result?: LoadResult; message?: string }) => {
        if (message.id !== id) return;
        if (message.type === "window") {
          cpu = process.cpuUsage();
          elu = performance.eventLoopUtilization();
        } else if (message.type === "result") {
          const used = process.cpuUsage(cpu);
          const loop = performance.eventLoopUtilization(elu);
          const result = message.result!;
          finish(null, {
            ...result,
            serverCpuUsPerRequest: result.requests ? (used.user + used.system) / result.requests : Number.NaN,
            serverSysUsPerRequest: result.requests ? used.system / result.requests : Number.NaN,
            serverElu: loop.utilization,
          });
        } else if (message.type === "error") {
          finish(new Error(`load client failed: ${message.message}`));
        }
      };
      const finish = (error: Error | null, result?: ServerSideLoadResult) => {
        clearTimeout(timer);
        this.child.off("message", onMessage);
        this.child.off("exit", onExit);
        if (error) reject(error);
        else resolve(result!);
      };
      this.child.on("message", onMessage);
      this.child.once("exit", onExit);
      this.child.send({ type: "run", id, options });
    });
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
    if (this.child.exitCode === null) this.child.kill();
  }
}

export interface ConcurrentResult {
  ops: number;
  perSecond: number;
  /** Per-operation latency in µs. */
  latency: Summary;
  errors: number;
}

/**
 * Runs `op` from `concurrency` loops at once for `durationMs` (after `warmupMs`), at most `maxOps` times: the shape of
 * every in-process throughput benchmark. An operation that throws counts as an error, not a result.
 */
export async function runConcurrent(
  op: (n: number) => Promise<unknown>,
  options: { concurrency: number; durationMs: number; warmupMs?: number; maxOps?: number },
): Promise<ConcurrentResult> {
  const maxOps = options.maxOps ?? 10_000_000;
  let n = 0;
  const warmEnd = performance.now() + (options.warmupMs ?? 0);
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < warmEnd) await op(n++).catch(() => {});
    }),
  );
  const samples: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < end && samples.length + errors < maxOps) {
        const t = performance.now();
        try {
          await op(n++);
          samples.push((performance.now() - t) * 1000);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { ops: samples.length, perSecond: samples.length / seconds, latency: summarize(samples), errors };
}
