import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type { Citation, ConversationStatus, ErrorReason, SuggestedAction } from "@bizbot/shared";

type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface TenantsTable {
  id: string;
  name: string;
  created_at: CreatedAt;
  /** Where the sign-up came from: 'widget-trial' is the house widget's call to action; null when unknown. */
  signup_source: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  created_at: CreatedAt;
}

export type Role = "owner" | "admin" | "member";

export interface MembershipsTable {
  tenant_id: string;
  user_id: string;
  role: Role;
  created_at: CreatedAt;
}

/** Owners are made by changing a role, never by invitation. */
export type InvitedRole = Exclude<Role, "owner">;

export interface InvitationsTable {
  id: string;
  tenant_id: string;
  /** Lowercased. */
  email: string;
  role: InvitedRole;
  /** SHA-256 of the token, hex. */
  token_hash: string;
  /** The user who invited; null once that user is deleted. */
  invited_by: string | null;
  created_at: CreatedAt;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  expires_at: Date;
  created_at: CreatedAt;
}

export interface PasswordResetsTable {
  /** SHA-256 of the token, hex: the token itself goes only into the e-mail. */
  token_hash: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  kind: "publishable" | "secret";
  mode: "test" | "live";
  name: Generated<string>;
  hash: string;
  prefix: string;
  allowed_origins: Generated<string[]>;
  created_at: CreatedAt;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  tenant_id: string | null;
  actor_type: "user" | "api_key" | "operator" | "system";
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  metadata: ColumnType<Record<string, unknown>, string | undefined, string>;
  ip: string | null;
  created_at: CreatedAt;
}

/** bigint columns: pg returns them as strings, PGlite as numbers; read them through Number(). */
type BigIntColumn = ColumnType<string | number, number, number>;
type BigIntWithDefault = ColumnType<string | number, number | undefined, number>;

export interface CreditAccountsTable {
  tenant_id: string;
  balance: BigIntWithDefault;
  held: BigIntWithDefault;
  floor: BigIntWithDefault;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export type LedgerKind = "grant" | "purchase" | "debit" | "settle" | "refund" | "clawback";

export interface CreditLedgerTable {
  id: Generated<string>;
  tenant_id: string;
  delta: BigIntColumn;
  balance_after: BigIntColumn;
  kind: LedgerKind;
  reference: string | null;
  idempotency_key: string;
  actor_type: string;
  actor_id: string | null;
  created_at: CreatedAt;
}

export interface CreditHoldsTable {
  id: string;
  tenant_id: string;
  amount: BigIntColumn;
  reference: string | null;
  status: "active" | "settled" | "released" | "expired";
  settled_amount: BigIntColumn | null;
  expires_at: Date;
  created_at: CreatedAt;
  closed_at: Date | null;
}

export interface IdempotencyKeysTable {
  tenant_id: string;
  key: string;
  operation: string;
  request_hash: string;
  response: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
}

export interface TenantSettingsTable {
  tenant_id: string;
  rate_limits: ColumnType<Record<string, unknown>, string | undefined, string>;
  trial_runs: ColumnType<Record<string, number>, string | undefined, string>;
  chat: ColumnType<Record<string, unknown>, string | undefined, string>;
  agents: ColumnType<Record<string, unknown>, string | undefined, string>;
  escalation_rules: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  widget: ColumnType<Record<string, unknown>, string | undefined, string>;
  retention: ColumnType<Record<string, unknown>, string | undefined, string>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface TrialUsageTable {
  tenant_id: string;
  agent_id: string;
  visitor_hash: string;
  used: number;
  first_used_at: CreatedAt;
  last_used_at: ColumnType<Date, Date | undefined, Date>;
}

export interface TrialNetworkUsageTable {
  tenant_id: string;
  network_hash: string;
  day: ColumnType<Date, string, string>;
  used: number;
}

export interface WidgetKeysTable {
  tenant_id: string;
  purpose: "house" | "preview";
  key: ColumnType<string, string | undefined, string>;
}

export interface PlatformSecretsTable {
  name: string;
  value: string;
  created_at: CreatedAt;
}

export interface KbDocumentsTable {
  id: string;
  tenant_id: string;
  title: string;
  format: string;
  source_url: string | null;
  content_hash: string;
  bytes: number;
  chunk_count: Generated<number>;
  status: "processing" | "ready" | "failed";
  error: string | null;
  /** What was uploaded, until the ingestion job has indexed it: UTF-8 text, or a PDF's bytes. */
  pending_source: Buffer | null;
  revision: Generated<number>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface KbChunksTable {
  id: string;
  tenant_id: string;
  document_id: string;
  ordinal: number;
  title: string;
  heading_path: Generated<string[]>;
  text: string;
  length: number;
}

export interface KbPostingsTable {
  tenant_id: string;
  term: string;
  chunk_id: string;
  tf: number;
  length: number;
  impact: number;
}

export interface KbTermStatsTable {
  tenant_id: string;
  term: string;
  df: number;
}

export interface KbTenantStatsTable {
  tenant_id: string;
  chunk_count: Generated<number>;
  total_length: BigIntWithDefault;
}

export interface TenantChatSecretsTable {
  tenant_id: string;
  identity_secret: string;
  webhook_secret: string;
  created_at: CreatedAt;
}

export interface ConversationsTable {
  id: string;
  tenant_id: string;
  visitor_id: string;
  user_id: string | null;
  status: ColumnType<ConversationStatus, ConversationStatus | undefined, ConversationStatus>;
  message_count: Generated<number>;
  /** numeric: node-postgres and PGlite give it back as a string. */
  cost_usd: ColumnType<string, string | number | undefined, string | number>;
  credits_charged: Generated<number>;
  escalated_at: Date | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface MessagesTable {
  id: string;
  tenant_id: string;
  conversation_id: string;
  role: "visitor" | "assistant";
  content: string;
  context: ColumnType<string[], string[] | undefined, string[]>;
  citations: ColumnType<Citation[], string | undefined, string>;
  actions: ColumnType<SuggestedAction[], string | undefined, string>;
  answer_mode: "model" | "fallback" | null;
  notice: string | null;
  model: string | null;
  input_tokens: Generated<number>;
  output_tokens: Generated<number>;
  cache_write_tokens: Generated<number>;
  cache_read_tokens: Generated<number>;
  cost_usd: ColumnType<string, string | number | undefined, string | number>;
  credits_charged: Generated<number>;
  created_at: CreatedAt;
}

export interface NotificationOutboxTable {
  id: string;
  /** null: the platform's own mail to a person (a password reset). Webhooks always have one (a CHECK says so). */
  tenant_id: string | null;
  kind: string;
  channel: "email" | "webhook";
  target: string;
  payload: ColumnType<Record<string, unknown>, string, string>;
  status: ColumnType<"pending" | "sent" | "failed", "pending" | undefined, "pending" | "sent" | "failed">;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
  created_at: CreatedAt;
  sent_at: Date | null;
}

export type RunStatus = "queued" | "running" | "succeeded" | "failed";

export interface AgentRunsTable {
  id: string;
  tenant_id: string;
  agent_id: string;
  status: RunStatus;
  input: ColumnType<unknown, string, string>;
  output: ColumnType<unknown, string | null | undefined, string | null>;
  checkpoint: ColumnType<Record<string, unknown>, string | undefined, string>;
  steps: ColumnType<string[], string | undefined, string>;
  error: ColumnType<{ code: ErrorReason; message: string } | null, string | null | undefined, string | null>;
  source: "api" | "portal" | "widget" | "workflow";
  actor_type: string;
  actor_id: string | null;
  visitor_hash: string | null;
  billing: "credits" | "trial";
  price: number;
  hold_id: string | null;
  credits_charged: Generated<number>;
  cache_key: string | null;
  cached: Generated<boolean>;
  cached_from: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
  parent_run_id: string | null;
  step_index: number | null;
  attempts: Generated<number>;
  lease_until: Date | null;
  model: string | null;
  model_calls: Generated<number>;
  input_tokens: Generated<number>;
  output_tokens: Generated<number>;
  cache_write_tokens: Generated<number>;
  cache_read_tokens: Generated<number>;
  /** numeric: node-postgres and PGlite give it back as a string. */
  cost_usd: ColumnType<string, string | number | undefined, string | number>;
  duration_ms: number | null;
  created_at: CreatedAt;
  started_at: Date | null;
  finished_at: Date | null;
  /** When retention cleared the run's input and output (retention/sweeper.ts). */
  purged_at: Date | null;
}

export interface BillingAccountsTable {
  tenant_id: string;
  customer_id: string | null;
  subscription_id: string | null;
  plan: string | null;
  plan_status: string | null;
  plan_period_end: Date | null;
  plan_cancel_at_period_end: Generated<boolean>;
  plan_read_at: Date | null;
  payment_method_id: string | null;
  auto_top_up: Generated<boolean>;
  auto_top_up_threshold: Generated<number>;
  auto_top_up_product: Generated<string>;
  auto_top_up_attempted_at: Date | null;
  auto_top_up_error: string | null;
  auto_top_up_failed_at: Date | null;
  updated_at: Generated<Date>;
}

export interface StripeEventsTable {
  id: string;
  type: string;
  tenant_id: string | null;
  source: "webhook" | "reconcile";
  created_at: Date;
  received_at: Generated<Date>;
}

export type PaymentKind = "package" | "plan" | "auto_top_up";

export interface BillingPaymentsTable {
  key: string;
  tenant_id: string;
  kind: PaymentKind;
  product: string;
  credits: number;
  amount: number;
  currency: string;
  payment_intent: string | null;
  reference: string;
  refunded_credits: Generated<number>;
  disputed_credits: Generated<number>;
  dispute_id: string | null;
  dispute_closed: Generated<boolean>;
  created_at: CreatedAt;
}

export interface DB {
  tenants: TenantsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  credit_accounts: CreditAccountsTable;
  credit_ledger: CreditLedgerTable;
  credit_holds: CreditHoldsTable;
  idempotency_keys: IdempotencyKeysTable;
  tenant_settings: TenantSettingsTable;
  trial_usage: TrialUsageTable;
  trial_network_usage: TrialNetworkUsageTable;
  platform_secrets: PlatformSecretsTable;
  widget_keys: WidgetKeysTable;
  kb_documents: KbDocumentsTable;
  kb_chunks: KbChunksTable;
  kb_postings: KbPostingsTable;
  kb_term_stats: KbTermStatsTable;
  kb_tenant_stats: KbTenantStatsTable;
  tenant_chat_secrets: TenantChatSecretsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  notification_outbox: NotificationOutboxTable;
  agent_runs: AgentRunsTable;
  password_resets: PasswordResetsTable;
  invitations: InvitationsTable;
  billing_accounts: BillingAccountsTable;
  stripe_events: StripeEventsTable;
  billing_payments: BillingPaymentsTable;
}

export type Tenant = Selectable<TenantsTable>;
export type User = Selectable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type Invitation = Selectable<InvitationsTable>;
export type ApiKey = Selectable<ApiKeysTable>;
export type NewAuditEntry = Insertable<AuditLogTable>;
