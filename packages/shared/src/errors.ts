/**
 * Error reasons every client may switch on. The HTTP status is fixed per reason, so the widget, the portal
 * and REST callers read the same contract.
 */
export const errorReasons = {
  invalid_input: 400,
  unauthenticated: 401,
  invalid_api_key: 401,
  invalid_session: 401,
  invalid_credentials: 401,
  payment_required: 402,
  forbidden: 403,
  origin_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  // No model is configured (ANTHROPIC_API_KEY): agents cannot run, and nothing was charged or stored.
  model_not_configured: 503,
} as const;

export type ErrorReason = keyof typeof errorReasons;

/** The body of every REST error: `{"error":{"code","message"}}`, plus field errors for invalid input. */
export interface RestErrorBody {
  error: { code: ErrorReason; message: string; fields?: Record<string, string[]> };
}
