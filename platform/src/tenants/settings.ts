import {
  type AgentId,
  agentIds,
  agents,
  type EscalationRules,
  escalationRules,
  type WidgetLocale,
  type WidgetPosition,
  type WidgetSettings,
  type WidgetTheme,
} from "@bizbot/shared";
import { sql, type Kysely } from "kysely";
import { z } from "zod";
import { insertAudit, type Actor } from "../audit/repository.ts";
import type { DB } from "../db/schema.ts";
import type { FetchPolicy } from "../lib/ssrf.ts";
import type { Bus } from "../redis/bus.ts";
import { checkWebhookUrl } from "./webhook-url.ts";

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

export const trialRunsInput = z.partialRecord(z.enum(agentIds), z.int().min(0).max(100));

/** Free runs per agent for anonymous visitors: three of the Ticket Resolver, none of the others. */
export const DEFAULT_TRIAL_RUNS: Record<AgentId, number> = Object.fromEntries(agents.map((a) => [a.id, a.id === "ticket-resolver" ? 3 : 0])) as Record<
  AgentId,
  number
>;

/** The support bot: its persona, what one model reply costs the tenant, and where a visitor's call for a human goes. */
export interface ChatSettings {
  botName: string;
  tone: string;
  /** The tenant's own instructions to the bot, added to the platform's. */
  instructions: string;
  /** Credits one model reply costs; 0 makes replies free. An extractive fallback answer is never charged. */
  replyCredits: number;
  escalationEmail: string | null;
  /** Receives a signed POST when a visitor asks for a human. */
  webhookUrl: string | null;
}

export const DEFAULT_CHAT: ChatSettings = {
  botName: "Assistant",
  tone: "friendly, clear and concise",
  instructions: "",
  replyCredits: 1,
  escalationEmail: null,
  webhookUrl: null,
};

export const chatSettingsInput = z.strictObject({
  botName: z.string().trim().min(1).max(60).optional(),
  tone: z.string().trim().max(200).optional(),
  instructions: z.string().max(4000).optional(),
  replyCredits: z.int().min(0).max(100).optional(),
  escalationEmail: z.email().max(254).nullable().optional(),
  webhookUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable()
    .optional(),
});

/** How one agent serves the tenant. */
export interface AgentSettings {
  /** A disabled agent refuses every run. */
  enabled: boolean;
  /** widget: offered to visitors in the widget, and to the tenant's servers; api: to the servers and the portal only. */
  visibility: "widget" | "api";
  /** The tenant's own instructions to the agent (tone, terms, emphasis), fenced as theirs in its prompt. */
  instructions: string;
  /** Credits a run answered from the response cache costs; null: half the price, rounded up. */
  cachedRunCredits: number | null;
  /** When a visitor's free runs are used up: the widget's paywall, or the run charged to the tenant's credits. */
  afterTrial: "paywall" | "charge";
}

/** Every agent enabled for the tenant's servers; only the Ticket Resolver, which visitors may try free, in the widget. */
export const DEFAULT_AGENT_SETTINGS: Record<AgentId, AgentSettings> = Object.fromEntries(
  agents.map((a) => [
    a.id,
    { enabled: true, visibility: a.id === "ticket-resolver" ? "widget" : "api", instructions: "", cachedRunCredits: null, afterTrial: "paywall" },
  ]),
) as Record<AgentId, AgentSettings>;

export const agentSettingsInput = z
  .partialRecord(
    z.enum(agentIds),
    z.strictObject({
      enabled: z.boolean().optional(),
      visibility: z.enum(["widget", "api"]).optional(),
      // Short: they share each call's prompt budget with the agent's material (agents/model.ts).
      instructions: z.string().max(1000).optional(),
      cachedRunCredits: z.int().min(0).max(1000).nullable().optional(),
      afterTrial: z.enum(["paywall", "charge"]).optional(),
    }),
  )
  // Its steps are runs of other agents, charged to the tenant: not something to hand anonymous visitors.
  .refine((agents) => agents["workflow-orchestrator"]?.visibility !== "widget", {
    path: ["workflow-orchestrator", "visibility"],
    message: "The Workflow Orchestrator runs other agents at the tenant's cost, so it is offered to servers and the portal only",
  });

/** Whether the tenant offers an agent to visitors in the widget: enabled, and shown there. */
export const offeredInWidget = (settings: Pick<TenantSettings, "agents">, agentId: AgentId): boolean =>
  settings.agents[agentId].enabled && settings.agents[agentId].visibility === "widget";

const widgetPositions = ["bottom-right", "bottom-left"] as const satisfies readonly WidgetPosition[];
const widgetThemes = ["auto", "light", "dark"] as const satisfies readonly WidgetTheme[];
const widgetLocales = ["auto", "en", "es", "fr", "de", "ar"] as const satisfies readonly WidgetLocale[];

/** The widget's look and call to action: the fields given replace the stored ones; callToAction is replaced whole, and null removes it. */
export const widgetSettingsInput = z.strictObject({
  greeting: z.string().trim().min(1).max(300).optional(),
  brandColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "must be a colour as #rrggbb, such as #2563eb")
    .toLowerCase()
    .optional(),
  position: z.enum(widgetPositions).optional(),
  launcherLabel: z.string().trim().min(1).max(40).optional(),
  theme: z.enum(widgetThemes).optional(),
  locale: z.enum(widgetLocales).optional(),
  callToAction: z
    .strictObject({
      label: z.string().trim().min(1).max(40),
      url: z.url({ protocol: /^https$/, error: "must be an https:// URL" }).max(2048),
    })
    .nullable()
    .optional(),
});

/**
 * Until the tenant sets its own (the portal edits them). Typed by the shared type and checked against the schema,
 * so that a field added to one and not the other fails to compile.
 */
export const DEFAULT_WIDGET: WidgetSettings = {
  greeting: "Hi! How can we help?",
  brandColor: "#2563eb",
  position: "bottom-right",
  launcherLabel: "Chat with us",
  theme: "auto",
  locale: "auto",
  callToAction: null,
} satisfies Required<z.output<typeof widgetSettingsInput>>;

/** How long the tenant keeps what visitors and callers sent: the fields given replace the stored ones. */
export const retentionSettingsInput = z.strictObject({
  /** Days an agent run's input and output are kept; then retention clears them (the run's accounting stays). */
  agentInputDays: z.int().min(1).max(3650).optional(),
  /** Days a conversation is kept after its last message; null keeps conversations until deleted. */
  conversationDays: z.int().min(1).max(3650).nullable().optional(),
});

export interface RetentionSettings {
  agentInputDays: number;
  conversationDays: number | null;
}

export const DEFAULT_RETENTION: RetentionSettings = { agentInputDays: 30, conversationDays: null } satisfies Required<z.output<typeof retentionSettingsInput>>;

/** The stored overrides over the defaults: also what the retention sweep (retention/sweeper.ts) reads. */
export const retentionOf = (stored: Record<string, unknown> | null | undefined): RetentionSettings => ({
  ...DEFAULT_RETENTION,
  ...(stored as Partial<RetentionSettings> | null | undefined),
});

/** The escalation manager's rules, checked as a whole: every team they name exists. */
export const escalationRulesInput = escalationRules.superRefine((rules, ctx) => {
  const teams = new Set(rules.teams.map((t) => t.id));
  if (teams.size !== rules.teams.length) ctx.addIssue({ code: "custom", path: ["teams"], message: "has two teams with one id" });
  if (!teams.has(rules.defaultTeam)) ctx.addIssue({ code: "custom", path: ["defaultTeam"], message: "is not one of the teams" });
  if (rules.afterHoursTeam !== null && !teams.has(rules.afterHoursTeam))
    ctx.addIssue({ code: "custom", path: ["afterHoursTeam"], message: "is not one of the teams" });
});

export interface TenantSettings {
  rateLimits: typeof DEFAULT_RATE_LIMITS;
  trialRuns: Record<AgentId, number>;
  chat: ChatSettings;
  agents: Record<AgentId, AgentSettings>;
  escalationRules: EscalationRules | null;
  widget: WidgetSettings;
  retention: RetentionSettings;
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
    /** Deliveries' policy (deps.fetchPolicy): a webhook URL it would refuse is refused when saved. */
    private readonly fetchPolicy: FetchPolicy,
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
    const row = await this.db
      .selectFrom("tenant_settings")
      .select(["rate_limits", "trial_runs", "chat", "agents", "escalation_rules", "widget", "retention"])
      .where("tenant_id", "=", tenantId)
      .executeTakeFirst();
    const stored = (row?.agents ?? {}) as Partial<Record<AgentId, Partial<AgentSettings>>>;
    const value: TenantSettings = {
      rateLimits: { ...DEFAULT_RATE_LIMITS, ...(row?.rate_limits as Partial<typeof DEFAULT_RATE_LIMITS> | undefined) },
      trialRuns: { ...DEFAULT_TRIAL_RUNS, ...(row?.trial_runs as Partial<Record<AgentId, number>> | undefined) },
      chat: { ...DEFAULT_CHAT, ...(row?.chat as Partial<ChatSettings> | undefined) },
      agents: Object.fromEntries(agents.map((a) => [a.id, { ...DEFAULT_AGENT_SETTINGS[a.id], ...stored[a.id] }])) as Record<AgentId, AgentSettings>,
      escalationRules: (row?.escalation_rules as EscalationRules | null | undefined) ?? null,
      widget: { ...DEFAULT_WIDGET, ...(row?.widget as Partial<WidgetSettings> | undefined) },
      retention: retentionOf(row?.retention),
    };
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(tenantId, { value, until: now + this.ttlMs });
    return value;
  }

  /** Merges overrides into the tenant's settings, audited in the same transaction, then tells every instance. */
  async update(
    actor: Actor,
    tenantId: string,
    patch: {
      rateLimits?: z.infer<typeof rateLimitsInput> | undefined;
      trialRuns?: z.infer<typeof trialRunsInput> | undefined;
      chat?: z.infer<typeof chatSettingsInput> | undefined;
      agents?: z.infer<typeof agentSettingsInput> | undefined;
      /** Replaces the rules whole; null removes them. */
      escalationRules?: z.infer<typeof escalationRulesInput> | null | undefined;
      widget?: z.infer<typeof widgetSettingsInput> | undefined;
      retention?: z.infer<typeof retentionSettingsInput> | undefined;
    },
  ): Promise<TenantSettings> {
    if (patch.chat?.webhookUrl) await checkWebhookUrl(patch.chat.webhookUrl, this.fetchPolicy);
    const rateLimits = JSON.stringify(patch.rateLimits ?? {});
    const trialRuns = JSON.stringify(patch.trialRuns ?? {});
    const chat = JSON.stringify(patch.chat ?? {});
    const agentPatch = JSON.stringify(patch.agents ?? {});
    const rules = patch.escalationRules === undefined ? undefined : JSON.stringify(patch.escalationRules);
    const widget = JSON.stringify(patch.widget ?? {});
    const retention = JSON.stringify(patch.retention ?? {});
    await this.db.transaction().execute(async (trx) => {
      await sql`
        insert into tenant_settings (tenant_id, rate_limits, trial_runs, chat, agents, escalation_rules, widget, retention)
        values (${tenantId}, ${rateLimits}::jsonb, ${trialRuns}::jsonb, ${chat}::jsonb, ${agentPatch}::jsonb, ${rules ?? null}::jsonb, ${widget}::jsonb, ${retention}::jsonb)
        on conflict (tenant_id) do update set
          rate_limits = tenant_settings.rate_limits || excluded.rate_limits,
          trial_runs = tenant_settings.trial_runs || excluded.trial_runs,
          chat = tenant_settings.chat || excluded.chat,
          -- Per agent, the fields given replace the stored ones; the agent's other fields stay.
          agents = tenant_settings.agents || coalesce(
            (select jsonb_object_agg(k, coalesce(tenant_settings.agents -> k, '{}'::jsonb) || v) from jsonb_each(excluded.agents) as e(k, v)),
            '{}'::jsonb),
          escalation_rules = ${rules === undefined ? sql`tenant_settings.escalation_rules` : sql`excluded.escalation_rules`},
          widget = tenant_settings.widget || excluded.widget,
          retention = tenant_settings.retention || excluded.retention,
          updated_at = now()`.execute(trx);
      await insertAudit(trx, actor, {
        tenantId,
        action: "tenant.settings_updated",
        metadata: {
          rateLimits: patch.rateLimits,
          trialRuns: patch.trialRuns,
          chat: patch.chat,
          agents: patch.agents,
          escalationRules: patch.escalationRules,
          widget: patch.widget,
          retention: patch.retention,
        },
      });
    });
    this.cache.delete(tenantId);
    await this.bus.publish(CHANGED_CHANNEL, tenantId).catch(() => {});
    return this.get(tenantId);
  }
}
