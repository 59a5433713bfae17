/**
 * Whether a browser Origin header is one a publishable key allows. Entries are exact origins or
 * `scheme://*.domain[:port]`, which matches any subdomain (one or more labels) but not the bare domain.
 */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // An Origin header is exactly scheme://host[:port]; anything else (a path, "null", user info) is refused.
  if (url.origin !== origin.toLowerCase()) return false;
  const normalized = url.origin;
  for (const entry of allowed) {
    if (entry === normalized) return true;
    const star = entry.indexOf("://*.");
    if (star === -1) continue;
    const scheme = entry.slice(0, star);
    const rest = entry.slice(star + 4); // ".example.com[:port]"
    if (url.protocol !== `${scheme}:`) continue;
    const hostPort = normalized.slice(scheme.length + 3);
    if (hostPort.endsWith(rest) && hostPort.length > rest.length) return true;
  }
  return false;
}
