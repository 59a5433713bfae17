import { bearer, type CallResult, signUpAccount, type TestAccount, trpcMutation, trpcQuery } from "@bizbot/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowCounts, startTestApp } from "../../test/harness.ts";
import { DomainError } from "../errors.ts";
import { DEFAULT_FETCH_POLICY } from "../lib/ssrf.ts";
import type { App } from "../main.ts";
import type { TenantSettings } from "./settings.ts";
import { checkWebhookUrl, type ResolveAll } from "./webhook-url.ts";

// Tests run without the internet: public addresses are literals, and names resolve through /etc/hosts (localhost)
// or through the stand-in resolvers below.
const PUBLIC = "93.184.215.14";

describe("chat.webhookUrl on settings.update", () => {
  let app: App;
  let account: TestAccount;
  beforeAll(async () => {
    app = await startTestApp();
    account = await signUpAccount(app.url);
  });
  afterAll(() => app?.close());

  const update = (input: unknown): Promise<CallResult<TenantSettings>> => trpcMutation(app.url, "settings.update", { input, headers: bearer(account.token) });
  const current = async () => (await trpcQuery<TenantSettings>(app.url, "settings.get", { headers: bearer(account.token) })).data!;

  it("refuses private, loopback and link-local addresses, literal or by name, with a field error and nothing saved", async () => {
    expect((await update({ chat: { webhookUrl: `https://${PUBLIC}/hooks/bizbot` } })).status).toBe(200);
    const before = await current();
    const counts = await rowCounts(app.deps.db);
    for (const url of [
      "http://127.0.0.1:8080/hook",
      "https://10.0.0.5/hook",
      "http://[::1]/hook",
      "http://localhost:3000/hook",
      "http://169.254.169.254/latest/meta-data/",
      "https://192.168.1.10/hook",
      "http://[::ffff:127.0.0.1]/hook",
      // Other spellings of loopback that URL parsing turns into 127.0.0.1.
      "http://2130706433/hook",
      "http://0x7f.1/hook",
    ]) {
      const res = await update({ chat: { webhookUrl: url, botName: "Changed" } });
      expect(res.status, url).toBe(400);
      expect(res.error!.data.reason, url).toBe("invalid_input");
      expect(Object.keys(res.error!.data.fields ?? {}), url).toEqual(["chat.webhookUrl"]);
      // Refused by the address check, not by the schema (every one of these is a well-formed http(s) URL).
      expect(res.error!.message, url).toMatch(/^The webhook URL .*(private|loopback)/);
    }
    expect(await current()).toEqual(before);
    expect(await rowCounts(app.deps.db)).toEqual(counts);
  });

  it("accepts a public address, and clearing the URL", async () => {
    const res = await update({ chat: { webhookUrl: `http://${PUBLIC}:8443/hook` } });
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    expect(res.data!.chat.webhookUrl).toBe(`http://${PUBLIC}:8443/hook`);
    expect((await update({ chat: { webhookUrl: null } })).data!.chat.webhookUrl).toBeNull();
  });
});

describe("checkWebhookUrl", () => {
  const open = { ...DEFAULT_FETCH_POLICY, allowPrivate: true };
  const resolvingTo =
    (...addresses: string[]): ResolveAll =>
    async () =>
      addresses.map((address) => ({ address }));
  const refusedWith = async (promise: Promise<void>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).details).toEqual({ fields: { "chat.webhookUrl": [expect.any(String)] } });
  };

  it("refuses a name if any of its addresses is private", async () => {
    await refusedWith(checkWebhookUrl("https://hooks.example.com/x", DEFAULT_FETCH_POLICY, resolvingTo("10.1.2.3")));
    await refusedWith(checkWebhookUrl("https://hooks.example.com/x", DEFAULT_FETCH_POLICY, resolvingTo(PUBLIC, "fe80::1")));
    await expect(
      checkWebhookUrl("https://hooks.example.com/x", DEFAULT_FETCH_POLICY, resolvingTo(PUBLIC, "2606:2800:21f:cb07:6820:80da:af6b:8b2c")),
    ).resolves.toBeUndefined();
  });

  it("lets private networks through with ALLOW_PRIVATE_FETCH, never the cloud metadata address", async () => {
    await expect(checkWebhookUrl("http://127.0.0.1:9000/hook", open)).resolves.toBeUndefined();
    await expect(checkWebhookUrl("https://intranet.corp/hook", open, resolvingTo("10.0.0.5"))).resolves.toBeUndefined();
    await refusedWith(checkWebhookUrl("http://169.254.169.254/", open));
    await refusedWith(checkWebhookUrl("http://metadata.internal/", open, resolvingTo("169.254.169.254")));
  });

  it("accepts a name that does not resolve now: the delivery checks it again where it connects", async () => {
    const failing: ResolveAll = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    await expect(checkWebhookUrl("https://not-yet.example.com/hook", DEFAULT_FETCH_POLICY, failing)).resolves.toBeUndefined();
  });
});
