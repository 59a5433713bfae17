import { initTRPC } from "@trpc/server";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import type { Context } from "./context.ts";
import { describeError } from "./errors.ts";

export type Tier = "public" | "visitor" | "tenant" | "user" | "member" | "admin" | "owner" | "tenant-or-member" | "tenant-or-admin";

export interface Meta {
  /** Which credentials the procedure takes; set by the tier builders in procedures.ts. */
  tier: Tier;
  /** Exposes the procedure on REST /v1 at this method and path (path parameters as `{id}`). */
  rest?: {
    method: "GET" | "POST" | "PATCH" | "DELETE";
    path: string;
    summary: string;
    /** Input fields a POST or PATCH takes from the query string rather than the body (`?wait=10`). */
    query?: string[];
    /** Request headers the procedure reads, documented in OpenAPI: name and description. */
    headers?: Record<string, string>;
  };
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    isDev: false,
    errorFormatter({ shape, error }) {
      const described = describeError(error);
      // The shape keeps tRPC's envelope (clients rely on it) but carries our reason, status and field errors;
      // never a stack, never an internal message.
      return {
        // The code of what happened, not of how it surfaced: a domain error thrown inside a subscription reaches
        // the formatter as INTERNAL_SERVER_ERROR, which SSE clients would retry for ever.
        code: TRPC_ERROR_CODES_BY_KEY[described.trpcCode],
        message: described.message,
        data: {
          code: described.trpcCode,
          httpStatus: described.status,
          reason: described.reason,
          path: shape.data.path,
          ...(described.fields ? { fields: described.fields } : {}),
          ...(described.retryAfterSeconds ? { retryAfterSeconds: described.retryAfterSeconds } : {}),
          ...(described.trial ? { trial: described.trial } : {}),
        },
      };
    },
  });

export const router = t.router;
export const procedure = t.procedure;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;
