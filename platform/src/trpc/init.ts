import { initTRPC } from "@trpc/server";
import type { Context } from "./context.ts";
import { describeError } from "./errors.ts";

export type Tier = "public" | "visitor" | "tenant" | "user" | "member" | "admin" | "owner" | "tenant-or-member" | "tenant-or-admin";

export interface Meta {
  /** Which credentials the procedure takes; set by the tier builders in procedures.ts. */
  tier: Tier;
  /** Exposes the procedure on REST /v1 at this method and path (path parameters as `{id}`). */
  rest?: { method: "GET" | "POST" | "PATCH" | "DELETE"; path: string; summary: string };
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
        code: shape.code,
        message: described.message,
        data: {
          code: described.trpcCode,
          httpStatus: described.status,
          reason: described.reason,
          path: shape.data.path,
          ...(described.fields ? { fields: described.fields } : {}),
          ...(described.retryAfterSeconds ? { retryAfterSeconds: described.retryAfterSeconds } : {}),
        },
      };
    },
  });

export const router = t.router;
export const procedure = t.procedure;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;
