import { bearer, signUpAccount, trpcQuery } from "@bizbot/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../../test/harness.ts";
import type { App } from "../main.ts";
import { revokeKeyByOperator } from "./service.ts";

const PORTAL = "http://portal.bizbot.test";
let app: App;
beforeAll(async () => {
  app = await startTestApp({ PORTAL_URL: PORTAL });
});
afterAll(() => app?.close());

const previewKey = async (token: string) => {
  const res = await trpcQuery<{ publishableKey: string }>(app.url, "widget.previewKey", { headers: bearer(token) });
  expect(res.status).toBe(200);
  return res.data!.publishableKey;
};
const config = (key: string, origin: string) => fetch(`${app.url}/widget/config?key=${key}`, { headers: { origin } }).then((r) => r.status);

describe("the portal's preview key", () => {
  it("is one publishable key per tenant, made once even when asked for at once, served on the portal's origin only", async () => {
    const a = await signUpAccount(app.url);
    const keys = await Promise.all(Array.from({ length: 8 }, () => previewKey(a.token)));
    expect(new Set(keys).size).toBe(1);
    const key = keys[0]!;
    expect(key).toMatch(/^pk_live_/);
    expect(await config(key, PORTAL)).toBe(200);
    // It allows no origin of its own: on any other page it is refused.
    expect(await config(key, "https://shop.example.com")).toBe(403);
    // Listed with the tenant's keys, under a name that says what it is for.
    const listed = await trpcQuery<Array<{ name: string; allowedOrigins: string[] }>>(app.url, "keys.list", { headers: bearer(a.token) });
    expect(listed.data!.filter((k) => k.name.startsWith("Portal preview"))).toHaveLength(1);

    const b = await signUpAccount(app.url);
    expect(await previewKey(b.token)).not.toBe(key);
  });

  it("is replaced once revoked", async () => {
    const a = await signUpAccount(app.url);
    const key = await previewKey(a.token);
    await revokeKeyByOperator(app.deps, key);
    const replaced = await previewKey(a.token);
    expect(replaced).not.toBe(key);
    expect(await config(replaced, PORTAL)).toBe(200);
    expect(await config(key, PORTAL)).toBe(401);
  });
});
