import type { IncomingMessage, ServerResponse } from "node:http";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { parseKey } from "../keys/format.ts";
import { checkPublishableKey } from "../keys/publishable.ts";
import { etagMatches, negotiateEncoding } from "../lib/http-cache.ts";
import { enforceLimits } from "../ratelimit/enforce.ts";
import { header } from "../trpc/context.ts";
import { tenantVisitorsRule } from "../trpc/procedures.ts";
import { type WidgetFile, WidgetNotBuilt } from "../widget/assets.ts";
import { sendJson } from "./rest.ts";

/**
 * Stored, but asked again on every page load: a revoked key or new settings show at once, while the ETag makes the
 * question a 304 with no body. (A minute of max-age would keep a revoked key's launcher on pages for that minute.)
 */
const CONFIG_CACHE_CONTROL = "public, no-cache";
const LOADER_CACHE_CONTROL = "public, max-age=300";
/** The app's name changes with its content, so a copy never goes stale. */
const APP_CACHE_CONTROL = "public, max-age=31536000, immutable";

/**
 * `GET /widget/config?key=pk_…`: the loader's one request per page load, a simple CORS request (no custom header, so
 * no preflight). The key and the page's Origin are checked as for every visitor call (keys/publishable.ts), and the
 * call counts against the tenant's ceiling on all its visitors (no visitor is known yet). The config comes from the
 * cache (widget/config.ts), with an ETag. Refusals are JSON `{error: {code, message}}` that the page can read, never
 * cached: 400 no or ill-formed key, 401 unknown, revoked or expired key, 403 a secret key or an origin the key does
 * not allow, 429 past the ceiling.
 */
export async function serveWidgetConfig(deps: Deps, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
  const origin = header(req, "origin");
  const headers: Record<string, string> = { Vary: "Origin" };
  if (origin) {
    // Any page may read the answer, a refusal included, so that the loader can say why it draws nothing.
    headers["Access-Control-Allow-Origin"] = origin;
    headers["Access-Control-Expose-Headers"] = "RateLimit, RateLimit-Policy, Retry-After";
  }
  try {
    const presented = query.get("key");
    if (!presented) throw keyError("is missing", "Missing publishable key: GET /widget/config?key=pk_live_…");
    if (!parseKey(presented)) throw keyError("is not an API key", "The key is not a BizBot API key (pk_live_… or pk_test_…)");
    const key = await checkPublishableKey(
      deps.keyVerifier,
      presented,
      { origin, secFetchSite: header(req, "sec-fetch-site") },
      {
        publicUrl: deps.env.PUBLIC_URL,
        portalUrl: deps.env.PORTAL_URL,
      },
    );
    const settings = await deps.settings.get(key.tenantId);
    await enforceLimits(deps, { setHeader: (name: string, value: string) => (headers[name] = value) }, [tenantVisitorsRule(key.tenantId, settings.rateLimits)]);
    const config = await deps.widgetConfigs.forKey(key, settings);
    headers["Cache-Control"] = CONFIG_CACHE_CONTROL;
    headers.ETag = config.etag;
    if (etagMatches(header(req, "if-none-match"), config.etag)) {
      res.writeHead(304, headers);
      return void res.end();
    }
    headers["Content-Type"] = "application/json; charset=utf-8";
    headers["Content-Length"] = String(Buffer.byteLength(config.body));
    res.writeHead(200, headers);
    res.end(config.body);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    headers["Cache-Control"] = "no-store";
    const fields = error.details?.fields as Record<string, string[]> | undefined;
    sendJson(res, error.status, { error: { code: error.reason, message: error.message, ...(fields ? { fields } : {}) } }, headers);
  }
}

const keyError = (field: string, message: string) => new DomainError("invalid_input", message, { fields: { key: [field] } });

/**
 * The widget's scripts: `/widget.js`, the loader (a short cache and an ETag, so a new release reaches pages within
 * minutes), and `/widget/<app>`, the panel app whose content-hashed name the manifest gives (cached for good). Each is
 * sent brotli- or gzip-compressed by Accept-Encoding, from the copies made once. Any other name under /widget/ is a
 * 404: names are compared whole with the manifest's, so no path (`..`, an encoded slash) reaches the file system.
 */
export async function serveWidgetScript(deps: Deps, req: IncomingMessage, res: ServerResponse, which: { loader: true } | { app: string }): Promise<void> {
  let file: WidgetFile | null;
  try {
    const build = await deps.widgetAssets.current();
    file = "loader" in which ? build.loader : build.app && build.app.name === which.app ? build.app : null;
  } catch (error) {
    if (!(error instanceof WidgetNotBuilt)) throw error;
    return sendJson(res, 404, { error: { code: "not_found", message: "The widget is not built; run `npm run build`" } });
  }
  if (!file) return sendJson(res, 404, { error: { code: "not_found", message: "No such widget file" } });
  const coding = negotiateEncoding(header(req, "accept-encoding"));
  const etag = file.etags[coding];
  const headers: Record<string, string> = {
    "Cache-Control": "loader" in which ? LOADER_CACHE_CONTROL : APP_CACHE_CONTROL,
    ETag: etag,
    Vary: "Accept-Encoding",
    // Any site may load the scripts (what they may do is its publishable key's business), also under COEP.
    "Access-Control-Allow-Origin": "*",
    "Cross-Origin-Resource-Policy": "cross-origin",
  };
  if (etagMatches(header(req, "if-none-match"), etag)) {
    res.writeHead(304, headers);
    return void res.end();
  }
  const body = file.bodies[coding];
  headers["Content-Type"] = "text/javascript; charset=utf-8";
  headers["Content-Length"] = String(body.length);
  headers["X-Content-Type-Options"] = "nosniff";
  if (coding !== "identity") headers["Content-Encoding"] = coding;
  res.writeHead(200, headers);
  res.end(req.method === "HEAD" ? undefined : body);
}
