import { z } from "zod";

// Empty strings count as unset, so a blank line in .env falls back to the default
// instead of failing as an invalid URL.
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema);

const PORT_ERROR = "must be a whole number from 1 to 65535";

const httpUrl = (example: string) =>
  z
    .url({ protocol: /^https?$/, error: `must be an http(s) URL, e.g. ${example}` })
    // Callers append paths like `/health`; a trailing slash would double up.
    .transform((url) => url.replace(/\/+$/, ""));

const EnvSchema = z.object({
  PLATFORM_URL: optional(httpUrl("http://localhost:3000").default("http://localhost:3000")),
  /** Where browsers reach the platform (widget.js), when the portal's server reaches it by another, internal address. */
  PLATFORM_PUBLIC_URL: optional(httpUrl("https://api.example.com").optional()),
  /**
   * Where browsers reach the portal, when that is not what the server sees (behind a proxy): the origin every form
   * post must come from. Unset, the request's own origin is used.
   */
  PORTAL_URL: optional(httpUrl("https://app.example.com").optional()),
  ADMIN_PORT: optional(
    z.coerce.number({ error: PORT_ERROR }).int({ error: PORT_ERROR }).min(1, { error: PORT_ERROR }).max(65535, { error: PORT_ERROR }).default(3001),
  ),
  NODE_ENV: optional(z.enum(["development", "production", "test"]).default("development")),
});

export type AdminEnv = z.output<typeof EnvSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

export function parseEnv(source: Record<string, string | undefined>): AdminEnv {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(`Invalid admin configuration:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

// Parsed when the server build is imported, so bad config stops the server at boot
// rather than surfacing on the first request.
export const env: AdminEnv = parseEnv(process.env);
