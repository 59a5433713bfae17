import { errorReasons, type ErrorReason } from "@bizbot/shared";
import type { TRPCError } from "@trpc/server";
import { DomainError } from "../errors.ts";
import { fieldErrors, type Issue, summarizeFields } from "../lib/issues.ts";

/** tRPC's own codes, for errors raised by tRPC itself (bad JSON, unknown procedure) rather than by our code. */
const reasonOfTrpcCode: Partial<Record<TRPCError["code"], ErrorReason>> = {
  PARSE_ERROR: "invalid_input",
  BAD_REQUEST: "invalid_input",
  UNAUTHORIZED: "unauthenticated",
  FORBIDDEN: "forbidden",
  NOT_FOUND: "not_found",
  METHOD_NOT_SUPPORTED: "method_not_allowed",
  CONFLICT: "conflict",
  PAYLOAD_TOO_LARGE: "payload_too_large",
  UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
  TOO_MANY_REQUESTS: "rate_limited",
  PAYMENT_REQUIRED: "payment_required",
};

const trpcCodeOfStatus: Record<number, TRPCError["code"]> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  402: "PAYMENT_REQUIRED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_SUPPORTED",
  409: "CONFLICT",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "TOO_MANY_REQUESTS",
  503: "SERVICE_UNAVAILABLE",
};

export interface DescribedError {
  status: number;
  trpcCode: TRPCError["code"];
  reason: ErrorReason;
  message: string;
  fields?: Record<string, string[]>;
  retryAfterSeconds?: number;
  /** A visitor's free runs, on a 402 after the last of them: what the widget shows with its call to action. */
  trial?: Record<string, unknown>;
  /** True when the cause is a bug or an outage: it is logged, and the client sees a generic message. */
  internal: boolean;
}

function isIssueList(value: unknown): value is { issues: Issue[] } {
  return typeof value === "object" && value !== null && Array.isArray((value as { issues?: unknown }).issues);
}

/**
 * The one mapping from whatever was thrown to what a client sees, used by tRPC's error formatter and by REST.
 * Messages of unexpected errors never leave the server: they may hold SQL or internals.
 */
export function describeError(error: TRPCError): DescribedError {
  const cause = error.cause;
  if (cause instanceof DomainError) {
    const fields = cause.details?.fields as Record<string, string[]> | undefined;
    const retryAfterSeconds = cause.details?.retryAfterSeconds as number | undefined;
    const trial = cause.details?.trial as Record<string, unknown> | undefined;
    return {
      status: cause.status,
      trpcCode: trpcCodeOfStatus[cause.status] ?? "INTERNAL_SERVER_ERROR",
      reason: cause.reason,
      message: cause.message,
      ...(fields ? { fields } : {}),
      ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
      ...(trial ? { trial } : {}),
      internal: false,
    };
  }
  if (error.code === "BAD_REQUEST" && isIssueList(cause)) {
    const fields = fieldErrors(cause.issues);
    return { status: 400, trpcCode: "BAD_REQUEST", reason: "invalid_input", message: `Invalid input: ${summarizeFields(fields)}`, fields, internal: false };
  }
  const reason = reasonOfTrpcCode[error.code];
  if (reason) {
    // tRPC's own messages (bad JSON, unknown path) are safe; a cause's message is not shown.
    const message = error.code === "PARSE_ERROR" ? "The request body is not valid JSON" : error.message;
    return { status: errorReasons[reason], trpcCode: error.code, reason, message, internal: false };
  }
  return { status: 500, trpcCode: "INTERNAL_SERVER_ERROR", reason: "internal", message: "Internal server error", internal: true };
}
