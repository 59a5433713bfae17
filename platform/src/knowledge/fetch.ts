import type { IncomingMessage } from "node:http";
import { DomainError, invalidInput } from "../errors.ts";
import { DEFAULT_FETCH_POLICY, guardedRequest, type FetchPolicy } from "../lib/ssrf.ts";

const refused = (url: string, why: string) => new DomainError("invalid_input", `Cannot import ${url}: ${why}`, { fields: { url: [why] } });
const HEADERS = { "user-agent": "BizBot-Importer/1", accept: "text/html, text/plain, application/xml;q=0.9, */*;q=0.5" };

/**
 * Fetches a public http(s) URL safely from the server. The address is checked where the connection is made (in
 * the DNS lookup the socket uses), so a name cannot resolve to a public address for the check and a private one for
 * the request; every redirect is checked again; size is bounded, and so is time, over every hop and the body together.
 */
export async function safeFetch(rawUrl: string, policy: FetchPolicy = DEFAULT_FETCH_POLICY): Promise<{ url: string; contentType: string; body: string }> {
  const signal = AbortSignal.timeout(policy.timeoutMs);
  let url = rawUrl;
  for (let hop = 0; hop <= policy.maxRedirects; hop++) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalidInput(`Not a URL: ${url}`, { url: ["is not a URL"] });
    }
    if (parsed.username || parsed.password) throw refused(url, "URLs with credentials are not imported");
    const response = await guardedRequest(parsed, { method: "GET", headers: HEADERS }, policy, signal, (why) => refused(url, why));
    const status = response.statusCode ?? 0;
    // Bodies of redirects and errors are not read: a server cannot make us download them.
    if (status < 200 || status >= 300) response.destroy();
    if (status >= 300 && status < 400 && response.headers.location) {
      url = URL.parse(response.headers.location, parsed.href)?.toString() ?? "";
      if (!url) throw refused(parsed.toString(), "it redirects to something that is not a URL");
      continue;
    }
    if (status < 200 || status >= 300) throw refused(url, `the server answered ${status}`);
    return { url, contentType: String(response.headers["content-type"] ?? ""), body: await readBounded(response, policy, url, signal) };
  }
  throw refused(rawUrl, `more than ${policy.maxRedirects} redirects`);
}

async function readBounded(response: IncomingMessage, policy: FetchPolicy, url: string, signal: AbortSignal): Promise<string> {
  const tooLarge = () => new DomainError("payload_too_large", `Cannot import ${url}: it is over ${policy.maxBytes / 1048576} MB`);
  if (Number(response.headers["content-length"] ?? 0) > policy.maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > policy.maxBytes) {
        response.destroy();
        throw tooLarge();
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw refused(url, signal.aborted ? `not received within ${policy.timeoutMs / 1000} s` : `the connection failed (${(error as Error).message})`);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The page URLs a sitemap lists (`<loc>`), at most `limit`. */
export function sitemapUrls(xml: string, limit: number): string[] {
  return [...xml.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/gi)].map((m) => m[1]!.replace(/&amp;/g, "&")).slice(0, limit);
}
