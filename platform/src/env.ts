import { z } from "zod";
import { knownModel, MODELS } from "./llm/models.ts";

const flag = z
  .enum(["0", "1", "true", "false", ""])
  .default("0")
  .transform((v) => v === "1" || v === "true");

const optionalUrl = (schemes: string[]) =>
  z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : v))
    .pipe(
      z
        .url()
        .refine((v) => schemes.some((s) => v.startsWith(`${s}:`)), `must start with ${schemes.map((s) => `${s}://`).join(" or ")}`)
        .optional(),
    )
    .optional();

/** Every setting the platform reads. This file is the only reader of process.env. */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().default("http://localhost:3000"),
  /** Where people reach the portal (its sign-up page is the house tenant's widget call to action); empty: PUBLIC_URL. */
  PORTAL_URL: optionalUrl(["http", "https"]),
  DATABASE_URL: optionalUrl(["postgres", "postgresql"]),
  DATA_DIR: z.string().default(".data"),
  REDIS_URL: optionalUrl(["redis", "rediss"]),
  /** Prefix of every Redis key, so that several deployments (or test runs) can share one Redis. */
  REDIS_KEY_PREFIX: z.string().max(64).default("bizbot:"),
  REQUIRE_SERVICES: flag,
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TRUST_PROXY: flag,
  DEMO_TENANT: z
    .enum(["0", "1"])
    .default("1")
    .transform((v) => v === "1"),
  /** 1 keeps the platform's own tenant ("BizBot"), whose bot answers from docs/knowledge, at every start. */
  HOUSE_TENANT: z
    .enum(["0", "1"])
    .default("1")
    .transform((v) => v === "1"),
  /** 1 lets URL imports reach private, loopback and link-local addresses (tests, intranet deployments). */
  ALLOW_PRIVATE_FETCH: flag,
  /** A file of CIDR ranges (VPNs, proxies, data centres) whose visitors get no free trial runs. */
  TRIAL_DENY_CIDRS_FILE: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  /** Free trial runs a day from one /24 (IPv4) or /64 (IPv6), across all its visitors, per tenant. */
  TRIAL_NETWORK_DAILY_CAP: z.coerce.number().int().min(0).max(100_000).default(10),
  /** Claude, for the support bot's answers. Without a key the bot answers extractively from the knowledge base. */
  ANTHROPIC_API_KEY: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  /**
   * The gateway's model, for every call that names none (the agents): a current Sonnet by default, from the SDK's
   * own model list. Each model must be listed in platform/src/llm/models.ts.
   */
  ANTHROPIC_MODEL: z.string().trim().min(1).default("claude-sonnet-5-5"),
  /**
   * The support chat's model: Haiku 5.5 by default, the one that answers a five-turn conversation under $0.01
   * (docs/decisions/005). The chat answers from passages it is given, which needs no larger model.
   */
  ANTHROPIC_CHAT_MODEL: z.string().trim().min(1).default("claude-haiku-5-5"),
  ANTHROPIC_BASE_URL: optionalUrl(["http", "https"]),
  /** One attempt of an agent run may take this long (the workflow orchestrator, a few times it: its steps run inside it). */
  AGENT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  /** Agent runs one process works at once; they mostly wait on the model. */
  AGENT_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /** 0: `bizbot serve` only queues background jobs, and separate `bizbot worker` processes run them. */
  SERVE_JOBS: z
    .enum(["0", "1"])
    .default("1")
    .transform((v) => v === "1"),
  /** smtp:// or smtps:// with credentials: escalation e-mails are sent through it, and wait in the outbox until it is set. */
  SMTP_URL: optionalUrl(["smtp", "smtps"]),
  SMTP_FROM: z.string().trim().min(3).default("BizBot <notifications@bizbot.invalid>"),
  /**
   * Semantic search, on when both EMBEDDINGS_URL and QDRANT_URL are set. "openai" is any OpenAI-compatible
   * /v1/embeddings (OpenAI, Ollama, vLLM, TEI); "voyage" is Voyage AI. Without them, search is BM25 alone.
   */
  EMBEDDINGS_PROVIDER: z.enum(["openai", "voyage"]).default("openai"),
  EMBEDDINGS_URL: optionalUrl(["http", "https"]),
  EMBEDDINGS_API_KEY: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  /** Each model gets its own Qdrant collection: changing it starts an empty one (re-ingest to fill it). */
  EMBEDDINGS_MODEL: z.string().trim().min(1).max(200).default("text-embedding-3-small"),
  /** Cosine similarity below which a nearest chunk is not offered (knowledge/semantic.ts). */
  EMBEDDINGS_MIN_SIMILARITY: z.coerce.number().min(-1).max(1).default(0.3),
  /**
   * Stripe, for buying credits: without STRIPE_SECRET_KEY the portal says billing is not configured (the operator
   * still grants credits) and POST /webhooks/stripe answers 503. STRIPE_WEBHOOK_SECRET (whsec_…) signs the webhook
   * endpoint's deliveries; STRIPE_API_URL points the SDK at another host (a stand-in, a proxy).
   */
  STRIPE_SECRET_KEY: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  STRIPE_API_URL: optionalUrl(["http", "https"]),
  QDRANT_URL: optionalUrl(["http", "https"]),
  QDRANT_API_KEY: z
    .string()
    .optional()
    .transform((v) => v || undefined),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

/** Parses the environment once at boot; a bad value stops the process with one readable line per problem. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message} (got ${JSON.stringify(source[String(i.path[0])])})`);
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = result.data;
  const unknown = env.ANTHROPIC_API_KEY ? (["ANTHROPIC_MODEL", "ANTHROPIC_CHAT_MODEL"] as const).filter((name) => !knownModel(env[name])) : [];
  if (unknown.length > 0) {
    const lines = unknown.map(
      (name) => `  ${name}: no price is known for ${env[name]}; add it to platform/src/llm/models.ts (known: ${Object.keys(MODELS).join(", ")})`,
    );
    throw new EnvError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  if (env.REQUIRE_SERVICES && (!env.DATABASE_URL || !env.REDIS_URL)) {
    throw new EnvError("Invalid configuration:\n  REQUIRE_SERVICES=1 needs both DATABASE_URL and REDIS_URL");
  }
  return env;
}

/** Where people reach the portal, without a trailing slash: links in e-mails, Stripe's return pages, sign-up. */
export function portalUrlOf(env: Pick<Env, "PORTAL_URL" | "PUBLIC_URL">): string {
  return (env.PORTAL_URL ?? env.PUBLIC_URL).replace(/\/+$/, "");
}
