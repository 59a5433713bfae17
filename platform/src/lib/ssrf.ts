/** Server-side requests to addresses a tenant chose (URL imports, webhooks), kept away from private networks. */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP } from "node:net";

export interface FetchPolicy {
  /** Lets private, loopback and link-local addresses through (ALLOW_PRIVATE_FETCH=1, for tests and intranets). */
  allowPrivate: boolean;
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = { allowPrivate: false, maxBytes: 10 * 1024 * 1024, timeoutMs: 10_000, maxRedirects: 5 };

// Addresses a server-side fetch must not reach: loopback, private, link-local, carrier-grade NAT, unspecified,
// multicast and reserved ranges, in both families (IPv4-mapped IPv6 included).
const privateRanges = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  privateRanges.addSubnet(network, prefix, "ipv4");
// IPv4-mapped addresses are unwrapped and checked as IPv4 (BlockList would match every IPv4 address against a
// ::ffff:0:0/96 rule, so there is none).
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  privateRanges.addSubnet(network, prefix, "ipv6");
}
// Cloud metadata endpoints hand out credentials: never fetched, whatever the policy.
const alwaysBlocked = new BlockList();
alwaysBlocked.addAddress("169.254.169.254", "ipv4");
alwaysBlocked.addAddress("fd00:ec2::254", "ipv6");

export function addressAllowed(address: string, policy: FetchPolicy): boolean {
  const family: "ipv4" | "ipv6" = isIP(address) === 6 ? "ipv6" : "ipv4";
  const mapped = family === "ipv6" && address.toLowerCase().startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : null;
  const [plain, plainFamily]: [string, "ipv4" | "ipv6"] = mapped ? [mapped, "ipv4"] : [address, family];
  if (alwaysBlocked.check(plain, plainFamily)) return false;
  return policy.allowPrivate || !privateRanges.check(plain, plainFamily);
}

/**
 * A DNS lookup for node:http's `lookup` option that refuses, where the socket connects, a name resolving to an
 * address the policy forbids: a name cannot resolve to a public address for a check and a private one for the
 * request. `refuse` makes the error to report.
 */
function checkedLookup(policy: FetchPolicy, refuse: (hostname: string) => Error) {
  return (hostname: string, options: object, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      if (list.some((a) => !addressAllowed(a.address, policy))) return callback(refuse(hostname), []);
      if ((options as { all?: boolean }).all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** Whether a URL's host is an address literal the policy forbids (a name is checked at connect, by checkedLookup). */
function literalRefused(url: URL, policy: FetchPolicy): boolean {
  const literal = url.hostname.replace(/^\[|\]$/g, "");
  return Boolean(isIP(literal)) && !addressAllowed(literal, policy);
}

/**
 * One request to an address a tenant chose: http or https only, the address refused as a literal here and as a
 * name where the socket connects, and `signal` bounding the whole exchange (a socket timeout alone restarts with
 * every byte a slow server trickles). Redirects are the caller's. Fails with `refuse(why)`.
 */
export function guardedRequest(
  url: URL,
  init: { method: "GET" | "POST"; headers: Record<string, string>; body?: string },
  policy: FetchPolicy,
  signal: AbortSignal,
  refuse: (why: string) => Error,
): Promise<IncomingMessage> {
  if (url.protocol !== "http:" && url.protocol !== "https:") return Promise.reject(refuse("only http and https URLs are allowed"));
  if (literalRefused(url, policy)) return Promise.reject(refuse("the address is private, loopback or link-local"));
  let refusal: Error | null = null;
  const lookup = checkedLookup(policy, (hostname) => (refusal = refuse(`${hostname} resolves to a private, loopback or link-local address`)));
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method, headers: init.headers, lookup: lookup as never, signal }, resolve);
    req.on("error", (error) => reject(refusal ?? refuse(signal.aborted ? `no answer within ${policy.timeoutMs / 1000} s` : error.message)));
    req.end(init.body);
  });
}
