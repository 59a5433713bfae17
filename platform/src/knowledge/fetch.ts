import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { DomainError, invalidInput } from "../errors.ts";
import { checkedLookup, DEFAULT_FETCH_POLICY, literalRefused, type FetchPolicy } from "../lib/ssrf.ts";

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
    if (literalRefused(parsed, policy)) throw refused(url, "the address is private, loopback or link-local");
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
  const lookup = checkedLookup(policy, (hostname) => refused(url.toString(), `${hostname} resolves to a private, loopback or link-local address`));
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", lookup: lookup as never, timeout: policy.timeoutMs, headers: { "user-agent": "BizBot-Importer/1", accept: "text/html, text/plain, application/xml;q=0.9, */*;q=0.5" } }, resolve);
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
