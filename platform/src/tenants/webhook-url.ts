import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { invalidInput } from "../errors.ts";
import { addressAllowed, type FetchPolicy } from "../lib/ssrf.ts";

/** Every address a host name resolves to (node:dns lookup, as the sender's connection will use). */
export type ResolveAll = (hostname: string) => Promise<Array<{ address: string }>>;

const resolveAll: ResolveAll = (hostname) => lookup(hostname, { all: true });
const LOOKUP_TIMEOUT_MS = 3_000;

const refused = (why: string) => invalidInput(`The webhook URL ${why}`, { "chat.webhookUrl": [why] });

/**
 * Refuses, when a tenant saves it, a webhook URL whose host is a private, loopback or link-local address: a literal,
 * or a name that resolves to one (any of its addresses). The policy is the one deliveries use (ALLOW_PRIVATE_FETCH
 * lets private networks through; cloud metadata never). This is the early, readable answer; the real guard stays
 * where the delivery connects (lib/ssrf.ts), since a name may resolve elsewhere later. So a name that does not
 * resolve now (no DNS here, a record not yet published) is accepted, and checked again at every delivery.
 */
export async function checkWebhookUrl(url: string, policy: FetchPolicy, resolve: ResolveAll = resolveAll): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) {
    if (!addressAllowed(host, policy)) throw refused("points at a private, loopback or link-local address");
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const addresses = await Promise.race([
    resolve(host).catch(() => []),
    new Promise<[]>((settle) => {
      timer = setTimeout(() => settle([]), LOOKUP_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  if (addresses.some((a) => !addressAllowed(a.address, policy)))
    throw refused(`names a host (${host}) that resolves to a private, loopback or link-local address`);
}
