import { BlockList, isIPv4, isIPv6 } from "node:net";
import { readFileSync } from "node:fs";
import { hmacSha256Hex } from "../lib/crypto.ts";

export interface VisitorIdentity {
  /** HMAC of fingerprint, address and user agent under the platform's secret. */
  hash: string;
  /** HMAC of the visitor's /24 (IPv4) or /64 (IPv6). */
  networkHash: string;
  ip: string | null;
  userAgent: string;
}

/** Strips the IPv4-mapped prefix, so one client is one address whichever socket family it came on. */
function plainIp(ip: string): string {
  return ip.startsWith("::ffff:") && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
}

/** The visitor's network: the first three octets of IPv4, the first four groups of IPv6. */
export function networkOf(ip: string | null): string {
  if (!ip) return "unknown";
  const plain = plainIp(ip);
  if (isIPv4(plain)) return `${plain.split(".").slice(0, 3).join(".")}.0/24`;
  if (isIPv6(plain)) return `${expandIPv6(plain).slice(0, 4).join(":")}::/64`;
  return "unknown";
}

function expandIPv6(ip: string): string[] {
  const [head, tail] = ip.split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill("0"), ...right].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""));
}

export function visitorIdentity(secret: string, fingerprint: string, ip: string | null, userAgent: string): VisitorIdentity {
  const address = ip ? plainIp(ip) : "";
  return {
    hash: hmacSha256Hex(secret, `${fingerprint}|${address}|${userAgent}`),
    networkHash: hmacSha256Hex(secret, `net|${networkOf(ip)}`),
    ip: ip ? address : null,
    userAgent,
  };
}

// Headless browsers, automation and common HTTP libraries: real visitors' browsers never say these.
const BOT_AGENT =
  /headless|bot\b|bot\/|crawler|spider|slurp|curl\/|wget\/|python-requests|python-urllib|aiohttp|go-http-client|java\/|okhttp|axios\/|node-fetch|undici|phantomjs|puppeteer|playwright|selenium|webdriver|httpclient|libwww|scrapy/i;

export function isBotAgent(userAgent: string): boolean {
  return userAgent.trim() === "" || BOT_AGENT.test(userAgent);
}

/** The operator's deny-list of networks (VPNs, proxies, data centres): one CIDR a line, `#` for comments. */
export function loadDenyList(path: string | undefined): BlockList {
  const list = new BlockList();
  if (!path) return list;
  const lines = readFileSync(path, "utf8").split("\n");
  lines.forEach((raw, index) => {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) return;
    const [address, bits] = line.split("/");
    const family = address && isIPv4(address) ? "ipv4" : address && isIPv6(address) ? "ipv6" : null;
    const prefix = bits === undefined ? (family === "ipv4" ? 32 : 128) : Number(bits);
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === "ipv4" ? 32 : 128)) {
      throw new Error(`${path}:${index + 1}: "${raw.trim()}" is not a CIDR range`);
    }
    list.addSubnet(address!, prefix, family);
  });
  return list;
}

export function isDenied(list: BlockList, ip: string | null): boolean {
  if (!ip) return false;
  const plain = plainIp(ip);
  if (isIPv4(plain)) return list.check(plain, "ipv4");
  if (isIPv6(plain)) return list.check(plain, "ipv6");
  return false;
}
