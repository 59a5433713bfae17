import { conversationId, visitorId } from "@bizbot/shared";
import { z } from "zod";

/** A signed-in user of the tenant's site: their id there, signed by the tenant's server (identity verification). */
const identity = {
  userId: z.string().trim().min(1).max(200).optional(),
  userHash: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, "is the hex HMAC-SHA256 of userId")
    .optional(),
};

export const messageText = z.string().trim().min(1, "is empty").max(4000);

export const startInput = z.strictObject({ visitorId: visitorId.optional(), ...identity });
export const sendInput = z.strictObject({ visitorId, conversationId: conversationId.optional(), message: messageText, ...identity });
export const conversationInput = z.strictObject({ visitorId, conversationId, ...identity });
