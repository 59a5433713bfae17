import { bearer, type CallResult, signUpAccount, type TestAccount, trpcMutation, trpcQuery } from "@bizbot/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../../test/harness.ts";
import type { App } from "../main.ts";
import type { TenantSettings } from "./settings.ts";

let app: App;
let account: TestAccount;
beforeAll(async () => {
  app = await startTestApp();
  account = await signUpAccount(app.url);
});
afterAll(() => app?.close());

const update = (input: unknown): Promise<CallResult<TenantSettings>> => trpcMutation(app.url, "settings.update", { input, headers: bearer(account.token) });
const current = async () => (await trpcQuery<TenantSettings>(app.url, "settings.get", { headers: bearer(account.token) })).data!;

describe("widget settings", () => {
  it("start from the defaults", async () => {
    expect((await current()).widget).toEqual({
      greeting: "Hi! How can we help?",
      brandColor: "#2563eb",
      position: "bottom-right",
      launcherLabel: "Chat with us",
      theme: "auto",
      locale: "auto",
      callToAction: null,
    });
  });

  it("refuse bad values with a field error each, and keep what was stored", async () => {
    const before = await current();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ brandColor: "blue" }, "widget.brandColor"],
      [{ brandColor: "#12345" }, "widget.brandColor"],
      [{ brandColor: "#gggggg" }, "widget.brandColor"],
      [{ brandColor: "#2563eb; background: url(x)" }, "widget.brandColor"],
      [{ callToAction: { label: "Sign in", url: "http://shop.example.com/login" } }, "widget.callToAction.url"],
      [{ callToAction: { label: "Sign in", url: "javascript:alert(1)" } }, "widget.callToAction.url"],
      [{ callToAction: { label: "Sign in", url: "not a url" } }, "widget.callToAction.url"],
      [{ callToAction: { label: "", url: "https://shop.example.com/login" } }, "widget.callToAction.label"],
      [{ callToAction: { label: "Sign in" } }, "widget.callToAction.url"],
      [{ callToAction: { label: "Sign in", url: "https://shop.example.com/", target: "_top" } }, "widget.callToAction"],
      [{ greeting: "x".repeat(301) }, "widget.greeting"],
      [{ greeting: "   " }, "widget.greeting"],
      [{ launcherLabel: "x".repeat(41) }, "widget.launcherLabel"],
      [{ position: "top-left" }, "widget.position"],
      [{ theme: "sepia" }, "widget.theme"],
      [{ locale: "it" }, "widget.locale"],
      [{ fontSize: 18 }, "widget"],
    ];
    for (const [widget, field] of cases) {
      const res = await update({ widget });
      expect(res.status, JSON.stringify(widget)).toBe(400);
      expect(res.error!.data.reason).toBe("invalid_input");
      expect(Object.keys(res.error!.data.fields ?? {}), JSON.stringify(widget)).toEqual([field]);
    }
    expect((await update({ widget: "blue" })).error!.data.fields).toHaveProperty("widget");
    expect(await current()).toEqual(before);
  });

  it("merge the fields given into the stored ones, like the chat's", async () => {
    const first = await update({ widget: { brandColor: "#0F766E", greeting: "  Hello there!  ", locale: "fr" } });
    expect(first.status).toBe(200);
    // Colours are kept lowercase, text trimmed.
    expect(first.data!.widget).toMatchObject({ brandColor: "#0f766e", greeting: "Hello there!", locale: "fr", position: "bottom-right" });
    const second = await update({
      widget: { position: "bottom-left", theme: "dark", callToAction: { label: "Sign in", url: "https://shop.example.com/login" } },
    });
    expect(second.data!.widget).toEqual({
      greeting: "Hello there!",
      brandColor: "#0f766e",
      position: "bottom-left",
      launcherLabel: "Chat with us",
      theme: "dark",
      locale: "fr",
      callToAction: { label: "Sign in", url: "https://shop.example.com/login" },
    });
    // Other settings in the same call, and the chat's own fields, are left alone.
    const third = await update({ widget: { callToAction: null }, chat: { botName: "Pip" } });
    expect(third.data!.widget).toMatchObject({ callToAction: null, theme: "dark", brandColor: "#0f766e" });
    expect(third.data!.chat.botName).toBe("Pip");
    expect(await current()).toEqual(third.data);
  });

  it("may be changed by owners and admins, not members, and every change is audited", async () => {
    const member = await signUpAccount(app.url);
    await app.deps.db.insertInto("memberships").values({ tenant_id: account.tenant.id, user_id: member.user.id, role: "member" }).execute();
    const refused = await trpcMutation(app.url, "settings.update", {
      input: { widget: { theme: "light" } },
      headers: { ...bearer(member.token), "x-bizbot-tenant": account.tenant.id },
    });
    expect(refused.status).toBe(403);
    expect((await current()).widget.theme).toBe("dark");
    const audit = await app.deps.db
      .selectFrom("audit_log")
      .select("metadata")
      .where("tenant_id", "=", account.tenant.id)
      .where("action", "=", "tenant.settings_updated")
      .execute();
    expect(audit.map((a) => (a.metadata as { widget?: unknown }).widget)).toContainEqual({
      position: "bottom-left",
      theme: "dark",
      callToAction: expect.any(Object),
    });
  });
});
