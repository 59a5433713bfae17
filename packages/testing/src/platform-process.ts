// The platform as its own process (bin/bizbot.js), for the browser tests of the widget and the portal: nothing there
// imports platform code, and what runs is what `npm start` runs.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";

export const PLATFORM_BIN = fileURLToPath(new URL("../../../platform/bin/bizbot.js", import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface PlatformProcess {
  url: string;
  child: ChildProcess;
  /** Everything it printed, for a failure's message. */
  output: string[];
  /** Runs `bizbot <args>` against the same database (the operator's CLI), answering what it printed. */
  cli(args: string[]): Promise<string>;
}

/** The services the tests were given, passed on; without them the platform runs on its embedded defaults. */
function servicesEnv(): Record<string, string> {
  return Object.fromEntries(
    ["DATABASE_URL", "REDIS_URL", "REQUIRE_SERVICES", "PATH", "HOME"].flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])),
  );
}

/** `bizbot serve` on a free port with `env` on top of test defaults (no demo or house tenant, memory storage); waits until healthy. */
export async function startPlatformProcess(env: Record<string, string> = {}): Promise<PlatformProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const fullEnv = {
    ...servicesEnv(),
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_URL: url,
    DATA_DIR: "memory://",
    DEMO_TENANT: "0",
    HOUSE_TENANT: "0",
    LOG_LEVEL: "warn",
    ...env,
  };
  const output: string[] = [];
  const child = spawn(process.execPath, [PLATFORM_BIN, "serve"], { env: fullEnv, stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding("utf8").on("data", (chunk: string) => output.push(chunk));
  }
  let exited: string | undefined;
  child.once("exit", (code, signal) => (exited = `exited with ${code ?? signal}`));
  const cli = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const run = spawn(process.execPath, [PLATFORM_BIN, ...args], { env: fullEnv, stdio: ["ignore", "pipe", "pipe"] });
      let printed = "";
      for (const stream of [run.stdout!, run.stderr!]) stream.setEncoding("utf8").on("data", (chunk: string) => (printed += chunk));
      run.once("exit", (code) => (code === 0 ? resolve(printed) : reject(new Error(`bizbot ${args.join(" ")} exited with ${code}:\n${printed}`))));
    });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) break;
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, child, output, cli };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stopProcess(child);
  throw new Error(`the platform did not become healthy (${exited ?? "timed out"}):\n${output.join("").slice(-4000)}`);
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
