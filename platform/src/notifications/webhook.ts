import { hmacSha256Hex } from "../lib/crypto.ts";
import { guardedRequest, type FetchPolicy } from "../lib/ssrf.ts";

/**
 * The signature a receiver checks, as Stripe's: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 * The timestamp inside the signed text lets a receiver refuse old deliveries replayed.
 */
export function webhookSignature(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${hmacSha256Hex(secret, `${timestamp}.${body}`)}`;
}

/**
 * POSTs one signed delivery. Only a 2xx answer counts; redirects are not followed, and the address is checked
 * where the socket connects, as for URL imports: a tenant's webhook URL cannot make the platform call its own network.
 */
export async function postWebhook(target: string, delivery: { id: string; event: string; body: string; secret: string }, policy: FetchPolicy): Promise<void> {
  const headers = {
    "content-type": "application/json",
    "user-agent": "BizBot-Webhooks/1",
    "bizbot-event": delivery.event,
    // The same id on every retry of one delivery, so that a receiver can drop duplicates.
    "bizbot-delivery": delivery.id,
    "bizbot-signature": webhookSignature(delivery.secret, delivery.body),
  };
  const res = await guardedRequest(
    new URL(target),
    { method: "POST", headers, body: delivery.body },
    policy,
    AbortSignal.timeout(policy.timeoutMs),
    (why) => new Error(why),
  );
  // The status is the answer; the body is not read (an endpoint cannot hold the sender by trickling it).
  res.destroy();
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) throw new Error(`the endpoint answered ${status}`);
}
