// Type-only: a value import of @bizbot/shared would pull zod into the bundle.
import type { ErrorReason } from "@bizbot/shared";
import { fill, type Strings } from "./strings.ts";

/**
 * The platform's reasons, plus two only a browser sees: `network` (no answer could be read: the platform is
 * unreachable, or something between refused the request) and `interrupted` (a stream that ended before its answer).
 */
export type Reason = ErrorReason | "network" | "interrupted";

export class ApiError extends Error {
  constructor(
    /** The HTTP status the platform meant; 0 when there was no readable answer. */
    readonly status: number,
    readonly reason: Reason,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Reasons by status, for answers that are not the platform's JSON (a proxy's 502 page, say). */
const reasonOfStatus: Record<number, ErrorReason> = {
  400: "invalid_input",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  413: "payload_too_large",
  429: "rate_limited",
  503: "unavailable",
};

/**
 * tRPC's error envelope (`{error: {message, data: {httpStatus, reason}}}`) or, from an SSE `serialized-error`
 * event, the error shape itself. Anything unreadable still becomes an ApiError, so no failure goes unshown.
 */
export function errorFromBody(body: unknown, status: number): ApiError {
  const shape = (isObject(body) && isObject(body.error) ? body.error : body) as
    | { message?: unknown; data?: { httpStatus?: unknown; reason?: unknown; retryAfterSeconds?: unknown } }
    | undefined;
  const data = isObject(shape) && isObject(shape.data) ? shape.data : {};
  const httpStatus = typeof data.httpStatus === "number" ? data.httpStatus : status;
  const reason =
    typeof data.reason === "string" ? (data.reason as ErrorReason) : (reasonOfStatus[httpStatus] ?? (httpStatus >= 500 ? "internal" : "invalid_input"));
  const message = isObject(shape) && typeof shape.message === "string" ? shape.message : `HTTP ${httpStatus}`;
  const retry = typeof data.retryAfterSeconds === "number" ? data.retryAfterSeconds : undefined;
  return new ApiError(httpStatus, reason, message, retry);
}

export const networkError = () => new ApiError(0, "network", "No answer could be read from the chat service");

/**
 * What the visitor reads, in their language. The platform's own messages are for the site's developer (they name
 * keys and origins), so the visitor gets plain words and the developer gets the console.
 */
export function visitorText(error: ApiError, s: Strings): string {
  switch (error.reason) {
    case "network":
      return s.errNetwork;
    case "interrupted":
      return s.errInterrupted;
    case "rate_limited": {
      const wait = error.retryAfterSeconds;
      return wait && wait <= 120 ? fill(s.errRateSeconds, Math.ceil(wait)) : s.errRate;
    }
    case "origin_not_allowed":
      return s.errOrigin;
    case "unauthenticated":
    case "invalid_api_key":
    case "forbidden":
      return s.errSetup;
    case "not_found":
      return s.errNotFound;
    case "payload_too_large":
      return s.errTooLong;
    case "invalid_input":
      return s.errInput;
    case "model_not_configured":
      return s.errModel;
    case "unavailable":
    case "payment_required":
      return s.errUnavailable;
    default:
      return s.errGeneric;
  }
}

/** Any thrown value as an ApiError: a bug of ours still shows the visitor a sentence and a retry button. */
export const asApiError = (e: unknown) => (e instanceof ApiError ? e : new ApiError(500, "internal", String(e)));

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
