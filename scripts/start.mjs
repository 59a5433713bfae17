// `npm start`: the platform on PORT and the portal on ADMIN_PORT, on the embedded defaults unless the
// environment names real services. Either process ending stops the other.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const port = process.env.PORT || "3000";
const adminPort = process.env.ADMIN_PORT || "3001";
const platformUrl = process.env.PLATFORM_URL || `http://localhost:${port}`;

const children = [
  // The platform's own widget offers the portal's sign-up page after a visitor's free runs.
  spawn(process.execPath, ["platform/bin/bizbot.js", "serve"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, PORT: port, PORTAL_URL: process.env.PORTAL_URL || `http://localhost:${adminPort}` },
  }),
  // From admin/: react-router-serve finds the browser assets (build/client) relative to where it runs.
  spawn(process.execPath, ["../node_modules/@react-router/serve/bin.js", "build/server/index.js"], {
    cwd: `${root}admin`,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, PORT: adminPort, PLATFORM_URL: platformUrl, NODE_ENV: process.env.NODE_ENV || "production" },
  }),
];

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 12_000).unref();
  Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null))).then(() => process.exit(code));
}
for (const child of children) child.once("exit", (code) => stop(code ?? 1));
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

async function waitFor(url) {
  for (let i = 0; i < 600 && !stopping; i++) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

if ((await waitFor(`http://localhost:${port}/health`)) && (await waitFor(`http://localhost:${adminPort}/`))) {
  console.log(`
  BizBot is running
    platform   http://localhost:${port}        (demo page, /health, /ready, /metrics)
    REST API   http://localhost:${port}/v1/openapi.json
    portal     http://localhost:${adminPort}
  Ctrl-C stops both.
`);
}
