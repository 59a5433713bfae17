import type { IncomingMessage, ServerResponse } from "node:http";
import type Stripe from "stripe";
import { applyEvent } from "../billing/events.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { readRaw } from "./body.ts";
import { sendJson } from "./rest.ts";

/** Stripe's own default: a signature older than five minutes is refused, so a captured delivery cannot be replayed later. */
const TOLERANCE_SECONDS = 300;
/** Stripe's events are a few kilobytes; a megabyte leaves room and bounds what an unsigned caller can make us read. */
const MAX_WEBHOOK_BYTES = 1024 * 1024;

/**
 * POST /webhooks/stripe. The signature is checked on the body's bytes as sent (any parsing first could change them);
 * anything unsigned, stale or signed with another secret is a 400 and writes nothing. A failure while applying is a
 * 500, and an event that must wait for another a 503, so that Stripe delivers it again.
 */
export async function serveStripeWebhook(deps: Deps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const secret = deps.env.STRIPE_WEBHOOK_SECRET;
  if (!deps.stripe || !secret) {
    return sendJson(res, 503, { error: { code: "unavailable", message: "Billing is not configured on this server" } });
  }
  let event: Stripe.Event;
  try {
    const body = await readRaw(req, MAX_WEBHOOK_BYTES);
    const signature = req.headers["stripe-signature"];
    if (typeof signature !== "string" || !signature) throw new Error("No Stripe-Signature header");
    event = await deps.stripe.api.webhooks.constructEventAsync(body, signature, secret, TOLERANCE_SECONDS);
  } catch (error) {
    const status = error instanceof DomainError ? error.status : 400;
    return sendJson(res, status, { error: { code: status === 413 ? "payload_too_large" : "invalid_input", message: (error as Error).message } });
  }
  const outcome = await applyEvent({ ...deps, stripe: deps.stripe }, event, "webhook");
  // A refund or dispute of a payment not recorded yet (its own event is late, or in flight): Stripe tries again
  // later, by when the payment is in. Only a 2xx ends Stripe's retries.
  if (outcome === "deferred") {
    return sendJson(res, 503, { error: { code: "unavailable", message: "The payment this event concerns is not recorded yet; deliver it again later" } });
  }
  sendJson(res, 200, { received: true, outcome });
}
