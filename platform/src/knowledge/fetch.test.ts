import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, rest, signUpAccount } from "@bizbot/testing";
import { startTestApp } from "../../test/harness.ts";
import type { App } from "../main.ts";
import { addressAllowed, DEFAULT_FETCH_POLICY } from "../lib/ssrf.ts";
import { safeFetch } from "./fetch.ts";

let server: Server;
let base: string;
/** What /changing says now: a page edited between two imports. */
let changing = "Delivery takes three days.";
beforeAll(async () => {
  server = createServer((req, res) => {
    const routes: Record<string, () => void> = {
      "/page": () => res.writeHead(200, { "content-type": "text/html" }).end("<title>Opening hours</title><h1>Hours</h1><p>Open daily 8 to 20.</p>"),
      "/changing": () => res.writeHead(200, { "content-type": "text/plain" }).end(changing),
      "/notes.md": () => res.writeHead(200, { "content-type": "text/markdown" }).end("# Returns\nThirty days."),
      "/to-metadata": () => res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end(),
      "/to-file": () => res.writeHead(302, { location: "file:///etc/passwd" }).end(),
      "/to-page": () => res.writeHead(301, { location: "/page" }).end(),
      "/bad-redirect": () => res.writeHead(302, { location: "http://[::1" }).end(),
      "/loop": () => res.writeHead(302, { location: "/loop" }).end(),
      "/big": () => res.writeHead(200, { "content-type": "text/plain" }).end("x".repeat(2048)),
      "/slow": () => setTimeout(() => res.end("late"), 2_000),
      "/sitemap.xml": () =>
        res
          .writeHead(200, { "content-type": "application/xml" })
          .end(`<urlset><url><loc>${base}/page</loc></url><url><loc>${base}/notes.md</loc></url><url><loc>${base}/gone</loc></url></urlset>`),
    };
    (routes[req.url ?? ""] ?? (() => res.writeHead(404).end()))();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const open = { ...DEFAULT_FETCH_POLICY, allowPrivate: true };

describe("safe fetch", () => {
  it("knows which addresses a server-side fetch may reach", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fe80::1",
      "fc00::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
    ]) {
      expect(addressAllowed(address, DEFAULT_FETCH_POLICY), address).toBe(false);
    }
    for (const address of ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34"]) {
      expect(addressAllowed(address, DEFAULT_FETCH_POLICY), address).toBe(true);
    }
    expect(addressAllowed("127.0.0.1", open)).toBe(true);
    expect(addressAllowed("169.254.169.254", open)).toBe(false);
  });

  it("refuses loopback and private targets, whether written as an address or reached through a name", async () => {
    await expect(safeFetch(`${base}/page`)).rejects.toMatchObject({
      reason: "invalid_input",
      message: expect.stringContaining("private, loopback or link-local"),
    });
    await expect(safeFetch(`${base.replace("127.0.0.1", "localhost")}/page`)).rejects.toMatchObject({
      message: expect.stringContaining("resolves to a private"),
    });
    await expect(safeFetch("http://169.254.169.254/latest/meta-data/")).rejects.toMatchObject({ reason: "invalid_input" });
    await expect(safeFetch("http://[::1]:80/")).rejects.toMatchObject({ reason: "invalid_input" });
    await expect(safeFetch("ftp://example.com/file")).rejects.toMatchObject({ message: expect.stringContaining("only http and https") });
    await expect(safeFetch("http://user:pass@example.com/")).rejects.toMatchObject({ message: expect.stringContaining("credentials") });
  });

  it("checks every redirect again, and bounds redirects, size and time", async () => {
    expect((await safeFetch(`${base}/to-page`, open)).body).toContain("Open daily");
    await expect(safeFetch(`${base}/to-metadata`, open)).rejects.toMatchObject({ message: expect.stringContaining("169.254.169.254") });
    await expect(safeFetch(`${base}/to-file`, open)).rejects.toMatchObject({ message: expect.stringContaining("only http and https") });
    await expect(safeFetch(`${base}/loop`, open)).rejects.toMatchObject({ message: expect.stringContaining("redirects") });
    await expect(safeFetch(`${base}/big`, { ...open, maxBytes: 1024 })).rejects.toMatchObject({ reason: "payload_too_large" });
    await expect(safeFetch(`${base}/slow`, { ...open, timeoutMs: 300 })).rejects.toMatchObject({ message: expect.stringContaining("within") });
    await expect(safeFetch(`${base}/bad-redirect`, open)).rejects.toMatchObject({
      reason: "invalid_input",
      message: expect.stringContaining("redirects to something that is not a URL"),
    });
  });

  it("bounds the whole request in time, even against a server that trickles its headers", async () => {
    // A byte every 100 ms: a socket idle timeout of 300 ms would never fire.
    const trickler = createTcpServer((socket) => {
      const bytes = `HTTP/1.1 200 OK\r\nX-Slow: ${"a".repeat(1000)}`;
      let i = 0;
      const timer = setInterval(() => (i < bytes.length && !socket.destroyed ? socket.write(bytes[i++]!) : clearInterval(timer)), 100);
      socket.on("close", () => clearInterval(timer));
      socket.on("error", () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => trickler.listen(0, "127.0.0.1", resolve));
    try {
      const started = Date.now();
      await expect(safeFetch(`http://127.0.0.1:${(trickler.address() as AddressInfo).port}/`, { ...open, timeoutMs: 300 })).rejects.toMatchObject({
        reason: "invalid_input",
        message: expect.stringContaining("no answer within 0.3 s"),
      });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await new Promise((resolve) => trickler.close(resolve));
    }
  });
});

describe("importing from a URL", () => {
  let app: App;
  let closed: App;
  beforeAll(async () => {
    app = await startTestApp({ ALLOW_PRIVATE_FETCH: "1" });
    closed = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
    await closed?.close();
  });

  it("re-imports a page into the same document, re-indexed only when the page changed", async () => {
    const account = await signUpAccount(app.url);
    const key = bearer(account.keys.live.secret.key);
    type Imported = { documents: Array<{ id: string; duplicate: boolean }> };
    const importIt = async () =>
      (await rest<Imported>(app.url, "POST", "/v1/knowledge/import", { headers: key, body: { url: `${base}/changing` } })).body.documents[0]!;
    const first = await importIt();
    changing = "Delivery takes five days.";
    expect(await importIt()).toMatchObject({ id: first.id, duplicate: false });
    expect(await importIt()).toMatchObject({ id: first.id, duplicate: true });
    const found = await rest<{ results: Array<{ text: string }> }>(app.url, "POST", "/v1/knowledge/search", { headers: key, body: { query: "delivery days" } });
    expect(found.body.results.map((r) => r.text)).toEqual(["Delivery takes five days."]);
  });

  it("imports a page and a sitemap's pages, reporting the ones that fail", async () => {
    const account = await signUpAccount(app.url);
    const key = bearer(account.keys.live.secret.key);
    const page = await rest<{ documents: Array<{ title: string; sourceUrl: string; format: string }> }>(app.url, "POST", "/v1/knowledge/import", {
      headers: key,
      body: { url: `${base}/page` },
    });
    expect(page.status).toBe(200);
    expect(page.body.documents[0]).toMatchObject({ title: "Opening hours", sourceUrl: `${base}/page`, format: "html" });
    const sitemap = await rest<{ documents: Array<{ title: string; duplicate: boolean }>; failed: Array<{ url: string }> }>(
      app.url,
      "POST",
      "/v1/knowledge/import",
      {
        headers: key,
        body: { url: `${base}/sitemap.xml`, sitemap: true },
      },
    );
    expect(sitemap.body.documents.map((d) => [d.title, d.duplicate])).toEqual([
      ["Opening hours", true],
      ["notes.md", false],
    ]);
    expect(sitemap.body.failed.map((f) => f.url)).toEqual([`${base}/gone`]);
    const found = await rest<{ results: Array<{ text: string }> }>(app.url, "POST", "/v1/knowledge/search", { headers: key, body: { query: "returns" } });
    expect(found.body.results[0]!.text).toBe("Thirty days.");
  });

  it("refuses a private address by default, with a clear error", async () => {
    const account = await signUpAccount(closed.url);
    const res = await rest<{ error: { code: string; message: string } }>(closed.url, "POST", "/v1/knowledge/import", {
      headers: bearer(account.keys.live.secret.key),
      body: { url: `${base}/page` },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("private, loopback or link-local");
  });
});
