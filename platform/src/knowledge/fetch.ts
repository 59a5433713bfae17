import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP } from "node:net";
import { DomainError, invalidInput } from "../errors.ts";

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
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) privateRanges.addSubnet(network, prefix, "ipv4");
// IPv4-mapped addresses are unwrapped and checked as IPv4 (BlockList would match every IPv4 address against a
// ::ffff:0:0/96 rule, so there is none).
for (const [network, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8]] as const) {
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

const refused = (url: string, why: string) => new DomainError("invalid_input", `Cannot import ${url}: ${why}`, { fields: { url: [why] } });

/**
 * Fetches a public http(s) URL safely from the server. The address is checked where the connection is made (in
 * the DNS lookup the socket uses), so a name cannot resolve to a public address for the check and a private one for
 * the request; every redirect is checked again; size and time are bounded.
 */
export async function safeFetch(rawUrl: string, policy: FetchPolicy = DEFAULT_FETCH_POLICY): Promise<{ url: string; contentType: string; body: string }> {
  let url = rawUrl;
  for (let hop = 0; hop <= policy.maxRedirects; hop++) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalidInput(`Not a URL: ${url}`, { url: ["is not a URL"] });
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw refused(url, "only http and https URLs are imported");
    if (parsed.username || parsed.password) throw refused(url, "URLs with credentials are not imported");
    const literal = parsed.hostname.replace(/^\[|\]$/g, "");
    if (isIP(literal) && !addressAllowed(literal, policy)) throw refused(url, "the address is private, loopback or link-local");
    const response = await get(parsed, policy);
    if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && response.headers.location) {
      response.resume();
      url = new URL(response.headers.location, parsed).toString();
      continue;
    }
    if (!response.statusCode || response.statusCode >= 400) {
      response.resume();
      throw refused(url, `the server answered ${response.statusCode}`);
    }
    return { url, contentType: String(response.headers["content-type"] ?? ""), body: await readBounded(response, policy, url) };
  }
  throw refused(rawUrl, `more than ${policy.maxRedirects} redirects`);
}

function get(url: URL, policy: FetchPolicy): Promise<IncomingMessage> {
  const checkedLookup = (hostname: string, options: object, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const bad = list.find((a) => !addressAllowed(a.address, policy));
      if (bad) return callback(refused(url.toString(), `${hostname} resolves to a private, loopback or link-local address`), []);
      const wantsAll = (options as { all?: boolean }).all;
      if (wantsAll) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", lookup: checkedLookup as never, timeout: policy.timeoutMs, headers: { "user-agent": "BizBot-Importer/1", accept: "text/html, text/plain, application/xml;q=0.9, */*;q=0.5" } }, resolve);
    req.on("timeout", () => req.destroy(refused(url.toString(), `no answer within ${policy.timeoutMs / 1000} s`)));
    req.on("error", (error) => reject(error instanceof DomainError ? error : refused(url.toString(), error.message)));
    req.end();
  });
}

async function readBounded(response: IncomingMessage, policy: FetchPolicy, url: string): Promise<string> {
  const declared = Number(response.headers["content-length"] ?? 0);
  if (declared > policy.maxBytes) {
    response.destroy();
    throw new DomainError("payload_too_large", `Cannot import ${url}: it is over ${policy.maxBytes / 1048576} MB`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const deadline = setTimeout(() => response.destroy(refused(url, `not received within ${policy.timeoutMs / 1000} s`)), policy.timeoutMs);
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > policy.maxBytes) {
        response.destroy();
        throw new DomainError("payload_too_large", `Cannot import ${url}: it is over ${policy.maxBytes / 1048576} MB`);
      }
      chunks.push(chunk);
    }
  } finally {
    clearTimeout(deadline);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The page URLs a sitemap lists (`<loc>`), at most `limit`. */
export function sitemapUrls(xml: string, limit: number): string[] {
  return [...xml.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/gi)].map((m) => m[1]!.replace(/&amp;/g, "&")).slice(0, limit);
}
