import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { hmacSha256Hex } from "../lib/crypto.ts";
import { checkedLookup, literalRefused, type FetchPolicy } from "../lib/ssrf.ts";

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
export function postWebhook(target: string, delivery: { id: string; event: string; body: string; secret: string }, policy: FetchPolicy): Promise<void> {
  const url = new URL(target);
  if (url.protocol !== "http:" && url.protocol !== "https:") return Promise.reject(new Error("a webhook URL is http or https"));
  if (literalRefused(url, policy)) return Promise.reject(new Error("the webhook's address is private, loopback or link-local"));
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        lookup: checkedLookup(policy, (hostname) => new Error(`${hostname} resolves to a private, loopback or link-local address`)) as never,
        headers: {
          "content-type": "application/json",
          "user-agent": "BizBot-Webhooks/1",
          "bizbot-event": delivery.event,
          // The same id on every retry of one delivery, so that a receiver can drop duplicates.
          "bizbot-delivery": delivery.id,
          "bizbot-signature": webhookSignature(delivery.secret, delivery.body),
        },
      },
      (res) => {
        clearTimeout(deadline);
        // The status is the answer; the body is not read (an endpoint cannot hold the sender by trickling it).
        res.destroy();
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else reject(new Error(`the endpoint answered ${status}`));
      },
    );
    // A deadline for the whole request: the socket timeout alone restarts with every byte a slow endpoint sends.
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${policy.timeoutMs / 1000} s`)), policy.timeoutMs);
    req.on("error", (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    req.end(delivery.body);
  });
}
