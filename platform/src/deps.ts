import type { Redis } from "ioredis";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { RunEvents } from "./agents/events.ts";
import type { StripeClient } from "./billing/stripe.ts";
import type { Database } from "./db/client.ts";
import type { DB } from "./db/schema.ts";
import type { Env } from "./env.ts";
import type { Metrics } from "./lib/metrics.ts";
import type { JobQueue } from "./jobs/queue.ts";
import type { KeyVerifier } from "./keys/verifier.ts";
import type { FetchPolicy } from "./lib/ssrf.ts";
import type { SemanticIndex } from "./knowledge/semantic.ts";
import type { LlmGateway } from "./llm/gateway.ts";
import type { OutboxSender } from "./notifications/outbox.ts";
import type { Limiter } from "./ratelimit/limiter.ts";
import type { Bus } from "./redis/bus.ts";
import type { SettingsStore } from "./tenants/settings.ts";
import type { TrialDeps } from "./trials/service.ts";
import type { WidgetAssets } from "./widget/assets.ts";
import type { WidgetConfigs } from "./widget/config.ts";

/** Everything built once in main.ts and handed down: services take the parts they need. */
export interface Deps {
  env: Env;
  database: Database;
  db: Kysely<DB>;
  redis: Redis | null;
  bus: Bus;
  limiter: Limiter;
  keyVerifier: KeyVerifier;
  log: Logger;
  metrics: Metrics;
  settings: SettingsStore;
  /** Key of the visitor-identity HMAC: made once, kept in the database, shared by every instance. */
  visitorSecret: string;
  trialPolicy: TrialDeps["trialPolicy"];
  /** Embeddings plus Qdrant, when both are configured; null means BM25 alone. */
  semantic: SemanticIndex | null;
  /** Claude through the gateway; null without ANTHROPIC_API_KEY (the bot then answers extractively). */
  llm: LlmGateway | null;
  /** Requests to addresses tenants choose (URL imports, webhooks): private networks only with ALLOW_PRIVATE_FETCH. */
  fetchPolicy: FetchPolicy;
  /** Sends escalation e-mails and webhooks from the outbox table. */
  outbox: OutboxSender;
  /** Background jobs: BullMQ on Postgres with a database server, in-process in the embedded mode. */
  jobs: JobQueue;
  /** Agent runs' events, from whichever instance works a run to whichever holds its listeners. */
  runEvents: RunEvents;
  /** A run attempt's time limit (AGENT_TIMEOUT_SECONDS). */
  agentTimeoutSeconds: number;
  /** The widget's built files (loader and app), compressed once and kept. */
  widgetAssets: WidgetAssets;
  /** Widget configs by publishable key (GET /widget/config). */
  widgetConfigs: WidgetConfigs;
  /** Stripe, for buying credits; null without STRIPE_SECRET_KEY (the portal then says billing is not configured). */
  stripe: StripeClient | null;
}
