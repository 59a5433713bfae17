import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { WidgetConfigResponse } from "@bizbot/shared";
import { bearer, signUpAccount, type TestAccount, trpcMutation, trpcQuery } from "@bizbot/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { needsServices, startTestApp } from "../../test/harness.ts";
import type { CreatedKey } from "../keys/service.ts";
import type { App } from "../main.ts";

const ORIGIN = "https://shop.example.com";
const APP_FILE = "widget-app.3f9a7c1e.js";

/** A widget build as the widget workspace writes it: a loader, a content-hashed app, and the manifest naming them. */
function fixtureBuild(files: { manifest?: boolean; loader?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "bizbot-widget-"));
  dirs.push(dir);
  if (files.loader !== false) writeFileSync(join(dir, "widget.js"), loaderSource);
  if (files.manifest !== false) {
    writeFileSync(join(dir, APP_FILE), appSource);
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ loader: "widget.js", app: APP_FILE }));
  }
  return dir;
}
const dirs: string[] = [];
const loaderSource = `(()=>{${Array.from({ length: 60 }, (_, i) => `var q${i}=window.BizBot&&window.BizBot.q||[];`).join("")}})();\n`;
const appSource = `(()=>{${Array.from({ length: 600 }, (_, i) => `function render${i}(h){return h("div",{class:"row-${i % 7}"},"message ${i}")}`).join("\n")}})();\n`;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request sent as written: fetch would normalise `..` away and decode the body; these tests need the bytes. */
function raw(base: string, path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Raw> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const json = <T>(r: Raw) => JSON.parse(r.body.toString("utf8")) as T;

let app: App;
let account: TestAccount;
beforeAll(async () => {
  app = await startTestApp({}, { widgetDir: fixtureBuild() });
  account = await signUpAccount(app.url, { tenantName: "Acme Shop", allowedOrigins: [ORIGIN, "https://*.acme.test"] });
});
afterAll(async () => {
  await app?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const pk = () => account.keys.live.publishable.key;
const config = (key: string, headers: Record<string, string> = { origin: ORIGIN }) => raw(app.url, `/widget/config?key=${encodeURIComponent(key)}`, headers);
const updateSettings = async (input: unknown) => {
  const res = await trpcMutation(app.url, "settings.update", { input, headers: bearer(account.token) });
  expect(res.status, JSON.stringify(res.error)).toBe(200);
};

describe("GET /widget/config", () => {
  it("answers the tenant's look to an allowed origin, cacheable, with an ETag", async () => {
    const res = await config(pk());
    expect(res.status).toBe(200);
    expect(json<WidgetConfigResponse>(res)).toEqual({
      tenant: { name: "Acme Shop" },
      mode: "live",
      botName: "Assistant",
      look: { greeting: "Hi! How can we help?", brandColor: "#2563eb", position: "bottom-right", launcherLabel: "Chat with us", theme: "auto", locale: "auto" },
      callToAction: null,
      app: `${app.deps.env.PUBLIC_URL}/widget/${APP_FILE}`,
      agents: true,
    });
    expect(res.headers).toMatchObject({
      "content-type": "application/json; charset=utf-8",
      "cache-control": "public, no-cache",
      vary: "Origin",
      "access-control-allow-origin": ORIGIN,
    });
    expect(res.headers.etag).toMatch(/^"[\w-]{22}"$/);
    // Counted against the tenant's ceiling on all its visitors, and only that: no visitor is known yet.
    expect(res.headers["ratelimit-policy"]).toBe('"tenant-visitors";q=3000;w=60');
    // A subdomain allowed by a wildcard; the test key answers its own mode.
    const test = await config(account.keys.test.publishable.key, { origin: "https://eu.acme.test" });
    expect(test.status).toBe(200);
    expect(json<WidgetConfigResponse>(test).mode).toBe("test");
  });

  it("answers the same object as the tRPC query widget.config", async () => {
    const trpc = await trpcQuery<WidgetConfigResponse>(app.url, "widget.config", { headers: { "x-bizbot-key": pk(), origin: ORIGIN } });
    expect(trpc.status).toBe(200);
    expect(trpc.data).toEqual(json(await config(pk())));
  });

  it("answers 304 to a matching If-None-Match, with the headers a cache needs", async () => {
    const first = await config(pk());
    const etag = first.headers.etag as string;
    const again = await config(pk(), { origin: ORIGIN, "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers).toMatchObject({ etag, "cache-control": "public, no-cache", vary: "Origin", "access-control-allow-origin": ORIGIN });
    expect((await config(pk(), { origin: ORIGIN, "if-none-match": `W/${etag}, "other"` })).status).toBe(304);
    expect((await config(pk(), { origin: ORIGIN, "if-none-match": '"something-else"' })).status).toBe(200);
  });

  it("refuses an origin the key does not allow, readably, naming the origin and where to allow it, never cached", async () => {
    for (const origin of ["https://evil.example.com", "https://shop.example.com.evil.io", "http://shop.example.com", "null"]) {
      const res = await config(pk(), { origin });
      expect(res.status, origin).toBe(403);
      const body = json<{ error: { code: string; message: string } }>(res);
      expect(body.error.code).toBe("origin_not_allowed");
      expect(body.error.message).toContain(`Origin ${origin} is not allowed`);
      expect(body.error.message).toMatch(/allowed origins on the API keys page/);
      expect(res.headers).toMatchObject({ "access-control-allow-origin": origin, "cache-control": "no-store", vary: "Origin" });
      expect(res.headers.etag).toBeUndefined();
      // The refusal is all a page learns: nothing of the tenant's.
      expect(res.body.toString()).not.toContain("Acme");
    }
    // No Origin and not same-origin (a script, curl): refused too.
    const none = await config(pk(), {});
    expect(none.status).toBe(403);
    expect(json<{ error: { code: string } }>(none).error.code).toBe("origin_not_allowed");
  });

  it("answers the platform's own page (a same-origin GET, which carries no Origin) when the key allows that origin", async () => {
    const own = await signUpAccount(app.url, { allowedOrigins: [new URL(app.deps.env.PUBLIC_URL).origin] });
    const res = await config(own.keys.live.publishable.key, { "sec-fetch-site": "same-origin" });
    expect(res.status).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
    expect((await config(pk(), { "sec-fetch-site": "same-origin" })).status).toBe(403);
  });

  it("refuses a missing, ill-formed, unknown or secret key with the right status, readably", async () => {
    const cases: Array<[string, number, string]> = [
      ["/widget/config", 400, "invalid_input"],
      ["/widget/config?key=", 400, "invalid_input"],
      ["/widget/config?key=hello", 400, "invalid_input"],
      [`/widget/config?key=pk_live_${"a".repeat(40)}`, 401, "invalid_api_key"],
      [`/widget/config?key=${account.keys.live.secret.key}`, 403, "forbidden"],
    ];
    for (const [path, status, code] of cases) {
      const res = await raw(app.url, path, { origin: ORIGIN });
      expect(res.status, path).toBe(status);
      expect(json<{ error: { code: string; message: string } }>(res).error).toMatchObject({ code, message: expect.any(String) });
      expect(res.headers).toMatchObject({ "access-control-allow-origin": ORIGIN, "cache-control": "no-store" });
    }
    const secret = json<{ error: { message: string } }>(await config(account.keys.live.secret.key));
    expect(secret.error.message).toMatch(/publishable key/);
    expect(json<{ error: { fields: Record<string, string[]> } }>(await raw(app.url, "/widget/config?key=x", { origin: ORIGIN })).error.fields).toHaveProperty(
      "key",
    );
  });

  it("reflects a settings change on the next request, with a new ETag", async () => {
    const before = await config(pk());
    await updateSettings({
      widget: { brandColor: "#0F766E", position: "bottom-left", callToAction: { label: "Sign in", url: "https://shop.example.com/login" } },
      chat: { botName: "Pip" },
    });
    const after = await config(pk(), { origin: ORIGIN, "if-none-match": before.headers.etag as string });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const body = json<WidgetConfigResponse>(after);
    expect(body).toMatchObject({ botName: "Pip", callToAction: { label: "Sign in", url: "https://shop.example.com/login" } });
    expect(body.look).toMatchObject({ brandColor: "#0f766e", position: "bottom-left", greeting: "Hi! How can we help?" });
    // No agent offered in the widget: the loader draws no agents' tab.
    await updateSettings({ agents: { "ticket-resolver": { enabled: false } } });
    expect(json<WidgetConfigResponse>(await config(pk())).agents).toBe(false);
    await updateSettings({ agents: { "ticket-resolver": { enabled: true } } });
  });

  it("stops answering a revoked key at once", async () => {
    const created = await trpcMutation<CreatedKey>(app.url, "keys.create", {
      input: { kind: "publishable", mode: "live", allowedOrigins: [ORIGIN] },
      headers: bearer(account.token),
    });
    const key = created.data!.key;
    expect((await config(key)).status).toBe(200);
    expect((await config(key)).status).toBe(200);
    expect((await trpcMutation(app.url, "keys.revoke", { input: { id: created.data!.id }, headers: bearer(account.token) })).status).toBe(200);
    const res = await config(key);
    expect(res.status).toBe(401);
    expect(json<{ error: { code: string } }>(res).error.code).toBe("invalid_api_key");
  });

  it("applies the tenant's ceiling on all its visitors, with Retry-After the page can read", async () => {
    const small = await signUpAccount(app.url, { allowedOrigins: [ORIGIN] });
    expect(
      (await trpcMutation(app.url, "settings.update", { input: { rateLimits: { tenantVisitorsPerMinute: 3 } }, headers: bearer(small.token) })).status,
    ).toBe(200);
    const statuses: number[] = [];
    let last: Raw | undefined;
    for (let i = 0; i < 5; i++) {
      last = await config(small.keys.live.publishable.key);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(json<{ error: { code: string } }>(last!).error.code).toBe("rate_limited");
    expect(last!.headers).toMatchObject({ "access-control-allow-origin": ORIGIN, "cache-control": "no-store" });
    expect(Number(last!.headers["retry-after"])).toBeGreaterThan(0);
    expect(last!.headers["access-control-expose-headers"]).toContain("Retry-After");
  });
});

// Two instances behind one balancer, each with its own caches: needs the real services (the bus is Redis).
describe.runIf(needsServices("widget config across instances"))("GET /widget/config across instances", () => {
  let other: App;
  beforeAll(async () => {
    other = await startTestApp({}, { widgetDir: fixtureBuild() });
  });
  afterAll(() => other?.close());

  it("stops answering a key revoked on another instance within a second, and follows settings saved there", async () => {
    const created = await trpcMutation<CreatedKey>(app.url, "keys.create", {
      input: { kind: "publishable", mode: "live", allowedOrigins: [ORIGIN] },
      headers: bearer(account.token),
    });
    const key = created.data!.key;
    const url = `/widget/config?key=${key}`;
    expect((await raw(other.url, url, { origin: ORIGIN })).status).toBe(200);

    const savedAt = Date.now();
    await updateSettings({ widget: { greeting: "Welcome back!" } });
    let greeting = "";
    while (greeting !== "Welcome back!" && Date.now() - savedAt < 2_000) {
      greeting = json<WidgetConfigResponse>(await raw(other.url, url, { origin: ORIGIN })).look.greeting;
    }
    expect(greeting).toBe("Welcome back!");
    expect(Date.now() - savedAt).toBeLessThan(1_000);

    const revokedAt = Date.now();
    expect((await trpcMutation(app.url, "keys.revoke", { input: { id: created.data!.id }, headers: bearer(account.token) })).status).toBe(200);
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 2_000) {
      status = (await raw(other.url, url, { origin: ORIGIN })).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 10));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
  });
});

describe("the widget's scripts", () => {
  const loader = (headers: Record<string, string> = {}, method = "GET") => raw(app.url, "/widget.js", headers, method);
  const appScript = (headers: Record<string, string> = {}) => raw(app.url, `/widget/${APP_FILE}`, headers);

  it("sends the loader brotli, gzip or as is by Accept-Encoding, with a short cache and an ETag", async () => {
    const br = await loader({ "accept-encoding": "gzip, deflate, br" });
    expect(br.status).toBe(200);
    expect(br.headers).toMatchObject({
      "content-type": "text/javascript; charset=utf-8",
      "content-encoding": "br",
      vary: "Accept-Encoding",
      "cache-control": "public, max-age=300",
      "access-control-allow-origin": "*",
      "content-length": String(br.body.length),
    });
    expect(brotliDecompressSync(br.body).toString()).toBe(loaderSource);

    const gzip = await loader({ "accept-encoding": "gzip, deflate" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzip.body).toString()).toBe(loaderSource);
    // Refusing brotli by weight is refusing it.
    expect((await loader({ "accept-encoding": "br;q=0, gzip;q=0.5" })).headers["content-encoding"]).toBe("gzip");
    expect((await loader({ "accept-encoding": "*" })).headers["content-encoding"]).toBe("br");

    for (const acceptEncoding of [undefined, "identity", "deflate", "br;q=0, gzip;q=0"]) {
      const plain = await loader(acceptEncoding ? { "accept-encoding": acceptEncoding } : {});
      expect(plain.headers["content-encoding"], acceptEncoding).toBeUndefined();
      expect(plain.headers.vary).toBe("Accept-Encoding");
      expect(plain.body.toString()).toBe(loaderSource);
    }
    // Each representation has its own ETag.
    expect(new Set([br.headers.etag, gzip.headers.etag, (await loader()).headers.etag]).size).toBe(3);
    expect(br.body.length).toBeLessThan(gzip.body.length);
  });

  it("answers 304 to the loader's ETag", async () => {
    const first = await loader({ "accept-encoding": "br" });
    const etag = first.headers.etag as string;
    const again = await loader({ "accept-encoding": "br", "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers).toMatchObject({ etag, "cache-control": "public, max-age=300", vary: "Accept-Encoding" });
    // Another coding is another representation: sent in full.
    expect((await loader({ "accept-encoding": "gzip", "if-none-match": etag })).status).toBe(200);
    const head = await loader({ "accept-encoding": "br" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers["content-length"]).toBe(String(first.body.length));
  });

  it("sends the app under its content-hashed name, cached for good", async () => {
    const res = await appScript({ "accept-encoding": "br" });
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
      "access-control-allow-origin": "*",
      "content-encoding": "br",
      vary: "Accept-Encoding",
    });
    expect(brotliDecompressSync(res.body).toString()).toBe(appSource);
    expect(gunzipSync((await appScript({ "accept-encoding": "gzip" })).body).toString()).toBe(appSource);
    expect((await appScript()).body.toString()).toBe(appSource);
  });

  it("compresses once and keeps the files: a change on disk shows only after a restart", async () => {
    const dir = fixtureBuild();
    const fresh = await startTestApp({}, { widgetDir: dir });
    try {
      const first = await raw(fresh.url, "/widget.js", { "accept-encoding": "br" });
      writeFileSync(join(dir, "widget.js"), "/* rebuilt */");
      const second = await raw(fresh.url, "/widget.js", { "accept-encoding": "br" });
      expect(second.body.equals(first.body)).toBe(true);
      expect(second.headers.etag).toBe(first.headers.etag);
    } finally {
      await fresh.close();
    }
  });

  it("answers 404 for any other name under /widget/, and for path tricks", async () => {
    const paths = [
      "/widget/",
      "/widget/widget.js",
      "/widget/manifest.json",
      "/widget/widget-app.00000000.js",
      `/widget/${APP_FILE.toUpperCase()}`,
      `/widget/${APP_FILE}/`,
      `/widget//${APP_FILE}`,
      `/widget/./${APP_FILE}`,
      `/widget/../widget/${APP_FILE}`,
      "/widget/../../../../etc/passwd",
      "/widget/..%2f..%2f..%2fetc%2fpasswd",
      "/widget/%2e%2e/manifest.json",
      "/widget/%2e%2e%2fmanifest.json",
      `/widget/%2E%2E%2Fdist%2F${APP_FILE}`,
      `/widget/${encodeURIComponent(APP_FILE)}%00`,
      "/widget/..\\manifest.json",
    ];
    for (const path of paths) {
      const res = await raw(app.url, path, { "accept-encoding": "br" });
      expect(res.status, path).toBe(404);
      expect(json<{ error: { code: string } }>(res).error.code).toBe("not_found");
    }
    // The metrics keep one label for all of them.
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/route="\/widget\/\(file\)",status="404"/);
    expect(metrics).not.toContain("passwd");
  });
});

describe("a build without a manifest (the single-file widget)", () => {
  let single: App;
  let none: App;
  beforeAll(async () => {
    [single, none] = await Promise.all([
      startTestApp({}, { widgetDir: fixtureBuild({ manifest: false }) }),
      startTestApp({}, { widgetDir: fixtureBuild({ manifest: false, loader: false }) }),
    ]);
  });
  afterAll(async () => {
    await single?.close();
    await none?.close();
  });

  it("serves its widget.js as the loader, no app, and names that one file as the config's app", async () => {
    const res = await raw(single.url, "/widget.js", { "accept-encoding": "gzip" });
    expect(res.status).toBe(200);
    expect(gunzipSync(res.body).toString()).toBe(loaderSource);
    expect((await raw(single.url, `/widget/${APP_FILE}`)).status).toBe(404);
    const owner = await signUpAccount(single.url, { allowedOrigins: [ORIGIN] });
    const cfg = await raw(single.url, `/widget/config?key=${owner.keys.live.publishable.key}`, { origin: ORIGIN });
    expect(json<WidgetConfigResponse>(cfg).app).toBe(`${single.deps.env.PUBLIC_URL}/widget.js`);
  });

  it("says the widget is not built when there is no build at all, and still answers the config", async () => {
    const res = await raw(none.url, "/widget.js");
    expect(res.status).toBe(404);
    expect(json<{ error: { message: string } }>(res).error.message).toMatch(/not built/);
    const owner = await signUpAccount(none.url, { allowedOrigins: [ORIGIN] });
    expect((await raw(none.url, `/widget/config?key=${owner.keys.live.publishable.key}`, { origin: ORIGIN })).status).toBe(200);
  });
});
