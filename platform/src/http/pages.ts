import type { ServerResponse } from "node:http";
import { readDemoKey } from "../demo.ts";
import type { Deps } from "../deps.ts";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page to try the product on: the demo tenant's widget, embedded as a tenant would embed it. */
export function serveHome(deps: Deps, res: ServerResponse): void {
  const key = readDemoKey(deps.env.DATA_DIR);
  const embed = key
    ? `<p>The demo tenant's widget is on this page, embedded with:</p>
<pre><code>${escapeHtml(`<script src="${deps.env.PUBLIC_URL}/widget.js" data-key="${key}" async></script>`)}</code></pre>
<script src="/widget.js" data-key="${escapeHtml(key)}" async></script>`
    : "<p>No demo tenant here (DEMO_TENANT=0, or it was created elsewhere).</p>";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>BizBot platform</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#1f2933}code,pre{background:#f3f4f6;border-radius:4px}pre{padding:.75rem;overflow:auto}</style>
</head><body>
<h1>BizBot platform</h1>
<p>This is the platform's API server. Useful places:</p>
<ul>
<li><a href="/health">/health</a> and <a href="/ready">/ready</a></li>
<li><a href="/metrics">/metrics</a> (Prometheus)</li>
<li><a href="/v1/openapi.json">/v1/openapi.json</a>, the REST API for tenants' servers</li>
</ul>
${embed}
</body></html>`;
  res.writeHead(200, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": "default-src 'self'; style-src 'unsafe-inline' 'self'; connect-src 'self'",
  });
  res.end(html);
}
