import { agents, type AgentId } from "@bizbot/shared";
import { sql, type Kysely } from "kysely";
import { z } from "zod";
import { insertAudit, type Actor } from "../audit/repository.ts";
import type { DB } from "../db/schema.ts";
import type { Bus } from "../redis/bus.ts";

/** Defaults from the product brief; each tenant may override any of them. */
export const DEFAULT_RATE_LIMITS = {
  /** Requests per hour per secret key. */
  secretKeyPerHour: 1000,
  /** Requests per minute per widget visitor. */
  visitorPerMinute: 100,
  /** Requests per minute from all of a tenant's visitors together: a ceiling on what one site can send. */
  tenantVisitorsPerMinute: 3000,
};

export const rateLimitsInput = z.strictObject({
  secretKeyPerHour: z.int().min(1).max(1_000_000).optional(),
  visitorPerMinute: z.int().min(1).max(100_000).optional(),
  tenantVisitorsPerMinute: z.int().min(1).max(1_000_000).optional(),
});

const agentIds = agents.map((a) => a.id) as [AgentId, ...AgentId[]];
export const trialRunsInput = z.partialRecord(z.enum(agentIds), z.int().min(0).max(100));

/** Free runs per agent for anonymous visitors: three of the Ticket Resolver, none of the others. */
export const DEFAULT_TRIAL_RUNS: Record<AgentId, number> = Object.fromEntries(
  agents.map((a) => [a.id, a.id === "ticket-resolver" ? 3 : 0]),
) as Record<AgentId, number>;

export interface TenantSettings {
  rateLimits: typeof DEFAULT_RATE_LIMITS;
  trialRuns: Record<AgentId, number>;
}

const CHANGED_CHANNEL = "tenant-settings:changed";

/**
 * Settings are read on every limited request, so they are cached in-process; a change is announced on the bus
 * and every instance drops its copy. The TTL bounds staleness if a message is lost.
 */
export class SettingsStore {
  private readonly cache = new Map<string, { value: TenantSettings; until: number }>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: Bus,
    private readonly ttlMs = 30_000,
  ) {}

  async start(): Promise<void> {
    await this.bus.subscribe(CHANGED_CHANNEL, (tenantId) => this.cache.delete(tenantId));
    this.bus.onResync(() => this.cache.clear());
  }

  async get(tenantId: string): Promise<TenantSettings> {
    const now = Date.now();
    const hit = this.bus.isLive() ? this.cache.get(tenantId) : undefined;
    if (hit && hit.until > now) return hit.value;
    const row = await this.db.selectFrom("tenant_settings").select(["rate_limits", "trial_runs"]).where("tenant_id", "=", tenantId).executeTakeFirst();
    const value: TenantSettings = {
      rateLimits: { ...DEFAULT_RATE_LIMITS, ...(row?.rate_limits as Partial<typeof DEFAULT_RATE_LIMITS> | undefined) },
      trialRuns: { ...DEFAULT_TRIAL_RUNS, ...(row?.trial_runs as Partial<Record<AgentId, number>> | undefined) },
    };
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(tenantId, { value, until: now + this.ttlMs });
    return value;
  }

  /** Merges overrides into the tenant's settings, audited in the same transaction, then tells every instance. */
  async update(
    actor: Actor,
    tenantId: string,
    patch: { rateLimits?: z.infer<typeof rateLimitsInput> | undefined; trialRuns?: z.infer<typeof trialRunsInput> | undefined },
  ): Promise<TenantSettings> {
    const rateLimits = JSON.stringify(patch.rateLimits ?? {});
    const trialRuns = JSON.stringify(patch.trialRuns ?? {});
    await this.db.transaction().execute(async (trx) => {
      await sql`
        insert into tenant_settings (tenant_id, rate_limits, trial_runs) values (${tenantId}, ${rateLimits}::jsonb, ${trialRuns}::jsonb)
        on conflict (tenant_id) do update set
          rate_limits = tenant_settings.rate_limits || excluded.rate_limits,
          trial_runs = tenant_settings.trial_runs || excluded.trial_runs,
          updated_at = now()`.execute(trx);
      await insertAudit(trx, actor, { tenantId, action: "tenant.settings_updated", metadata: { rateLimits: patch.rateLimits, trialRuns: patch.trialRuns } });
    });
    this.cache.delete(tenantId);
    await this.bus.publish(CHANGED_CHANNEL, tenantId).catch(() => {});
    return this.get(tenantId);
  }
}
