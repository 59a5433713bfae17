import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { VerifiedKey } from "../keys/verifier.ts";
import {
  DEFAULT_AGENT_SETTINGS,
  DEFAULT_CHAT,
  DEFAULT_RATE_LIMITS,
  DEFAULT_RETENTION,
  DEFAULT_TRIAL_RUNS,
  DEFAULT_WIDGET,
  type TenantSettings,
} from "../tenants/settings.ts";
import { WidgetAssets } from "./assets.ts";
import { WidgetConfigs } from "./config.ts";

const dirs: string[] = [];
function build(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "bizbot-widget-unit-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const key = (): VerifiedKey => ({ id: "key_a", tenantId: "ten_a", tenantName: "Acme", kind: "publishable", mode: "live", allowedOrigins: [] });
const settings = (): TenantSettings => ({
  rateLimits: DEFAULT_RATE_LIMITS,
  trialRuns: DEFAULT_TRIAL_RUNS,
  chat: DEFAULT_CHAT,
  agents: DEFAULT_AGENT_SETTINGS,
  escalationRules: null,
  widget: DEFAULT_WIDGET,
  retention: DEFAULT_RETENTION,
});

describe("the widget config cache", () => {
  const assets = new WidgetAssets(
    build({ "widget.js": "loader", "widget-app.abc.js": "app", "manifest.json": '{"loader":"widget.js","app":"widget-app.abc.js"}' }),
  );

  it("answers from memory while the key's verification and the tenant's settings are the objects it was made from", async () => {
    let now = 0;
    const configs = new WidgetConfigs(assets, "https://bizbot.example.com/", { ttlMs: 1000, now: () => now });
    const k = key();
    const s = settings();
    const first = await configs.forKey(k, s);
    expect(first.value.app).toBe("https://bizbot.example.com/widget/widget-app.abc.js");
    expect(await configs.forKey(k, s)).toBe(first);
    // The settings store dropped its copy (the bus said the tenant's settings changed): a new object, a new config.
    const changed = { ...s, widget: { ...s.widget, brandColor: "#000000" } };
    const second = await configs.forKey(k, changed);
    expect(second).not.toBe(first);
    expect(second.value.look.brandColor).toBe("#000000");
    expect(second.etag).not.toBe(first.etag);
    // The key verifier loaded the key again (a rename, a revocation elsewhere, its TTL): made again.
    const third = await configs.forKey({ ...k, tenantName: "Acme Ltd" }, changed);
    expect(third.value.tenant.name).toBe("Acme Ltd");
    // And the TTL bounds the rest.
    const k2 = key();
    const fourth = await configs.forKey(k2, changed);
    expect(await configs.forKey(k2, changed)).toBe(fourth);
    now = 1000;
    expect(await configs.forKey(k2, changed)).not.toBe(fourth);
  });

  it("refuses a manifest that names anything but a script of its own folder", async () => {
    for (const app of ["../secret.js", "sub/app.js", ".hidden.js", "app.css", ""]) {
      const bad = new WidgetAssets(build({ "widget.js": "loader", "manifest.json": JSON.stringify({ loader: "widget.js", app }) }));
      await expect(bad.current(), app).rejects.toThrow(/manifest\.json must name two scripts/);
    }
  });
});
