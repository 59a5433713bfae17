/** Postgres unique_violation: how a race on a unique value (an e-mail, a document's title and content) shows up. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}
