import { agentIds, type WidgetConfigResponse } from "@bizbot/shared";
import type { VerifiedKey } from "../keys/verifier.ts";
import { etagOf } from "../lib/http-cache.ts";
import { offeredInWidget, type TenantSettings } from "../tenants/settings.ts";
import { type WidgetAssets, WidgetNotBuilt } from "./assets.ts";

/** What the loader needs to draw the launcher and load the app (GET /widget/config, and the tRPC query widget.config). */
export function widgetConfig(key: VerifiedKey, settings: TenantSettings, app: string): WidgetConfigResponse {
  const { greeting, brandColor, position, launcherLabel, theme, locale, callToAction } = settings.widget;
  return {
    tenant: { name: key.tenantName },
    mode: key.mode,
    botName: settings.chat.botName,
    look: { greeting, brandColor, position, launcherLabel, theme, locale },
    callToAction,
    app,
    agents: agentIds.some((id) => offeredInWidget(settings, id)),
  };
}

/** A config as answered: the object, its JSON, and the JSON's ETag. */
export interface ServedConfig {
  value: WidgetConfigResponse;
  body: string;
  etag: string;
}

interface Entry {
  key: VerifiedKey;
  settings: TenantSettings;
  app: string;
  served: ServedConfig;
  until: number;
}

export interface WidgetConfigsOptions {
  /** Bounds how long an entry is trusted, whatever else happens. */
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * Widget configs by publishable key (its id), made once and answered from memory: every page load of every site that
 * embeds the widget asks for one. The key's check is not cached here: it runs on every request, from the key
 * verifier's cache.
 *
 * An entry holds the very objects it was made from: the key verifier's VerifiedKey and the SettingsStore's
 * TenantSettings. Those two caches drop their objects when the bus says a key was revoked or a tenant's settings
 * changed (and bypass themselves while the bus is not live), so an entry made from a dropped object is stale from
 * that moment, here and on every instance, with no second subscription that could lag behind the first: the
 * instance that saved the settings answers the new config on its next request. A short TTL bounds the rest.
 */
export class WidgetConfigs {
  private readonly cache = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly base: string;

  constructor(
    private readonly assets: WidgetAssets,
    publicUrl: string,
    options: WidgetConfigsOptions = {},
  ) {
    this.base = publicUrl.replace(/\/+$/, "");
    this.ttlMs = options.ttlMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  async forKey(key: VerifiedKey, settings: TenantSettings): Promise<ServedConfig> {
    const app = await this.appUrl();
    const now = this.now();
    const hit = this.cache.get(key.id);
    if (hit && hit.key === key && hit.settings === settings && hit.app === app && hit.until > now) return hit.served;
    const value = widgetConfig(key, settings, app);
    const body = JSON.stringify(value);
    const served = { value, body, etag: etagOf(body) };
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(key.id, { key, settings, app, served, until: now + this.ttlMs });
    return served;
  }

  /** The app's absolute URL from the build's manifest; a build without one (or no build yet) is its single script. */
  private async appUrl(): Promise<string> {
    try {
      const build = await this.assets.current();
      return build.app ? `${this.base}/widget/${build.app.name}` : `${this.base}/widget.js`;
    } catch (error) {
      if (error instanceof WidgetNotBuilt) return `${this.base}/widget.js`;
      throw error;
    }
  }
}
