import { errorReasons, type ErrorReason } from "@bizbot/shared";

/**
 * Services throw these; they know nothing of tRPC or HTTP. One mapping (trpc/errors.ts) turns the reason into a
 * transport code, so every surface answers the same status for the same failure.
 */
export class DomainError extends Error {
  override name = "DomainError";
  readonly status: number;
  constructor(
    readonly reason: ErrorReason,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.status = errorReasons[reason];
  }
}

export const notFound = (what: string) => new DomainError("not_found", `${what} not found`);
export const forbidden = (message: string) => new DomainError("forbidden", message);
export const conflict = (message: string) => new DomainError("conflict", message);
export const invalidInput = (message: string, fields?: Record<string, string[]>) => new DomainError("invalid_input", message, fields ? { fields } : undefined);
export const rateLimited = (retryAfterSeconds: number) =>
  new DomainError("rate_limited", `Too many attempts; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
