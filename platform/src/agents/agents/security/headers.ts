import { type LineIndex, maskSecret } from "../../secrets/text.ts";
import { type Finding, findingOf, type RuleInfo } from "../../secrets/types.ts";
import { clipLine } from "./text.ts";

interface Header {
  /** Lower case. */
  name: string;
  value: string;
  line: number;
  /** Offset of the value in the text. */
  valueAt: number;
}

interface Response {
  /** The status line's, or the first header's when the paste has no status line. */
  line: number;
  title: string;
  headers: Header[];
}

const rule = (id: string, severity: RuleInfo["severity"], explanation: string, fix: string): RuleInfo => ({ id, severity, explanation, fix });

const RULES = {
  missingHsts: rule(
    "missing-hsts",
    "medium",
    "Without Strict-Transport-Security, a browser may reach the site over plain HTTP first, where an attacker on the network can intercept or downgrade it.",
    "Send `Strict-Transport-Security: max-age=31536000; includeSubDomains` on every HTTPS response.",
  ),
  weakHsts: rule(
    "weak-hsts",
    "low",
    "Strict-Transport-Security with a max-age under six months lets browsers forget the HTTPS-only rule between visits.",
    "Raise max-age to at least 15552000 (six months); 31536000 (a year) is usual.",
  ),
  missingCsp: rule(
    "missing-csp",
    "medium",
    "Without a Content-Security-Policy, any injected script runs with the page's full rights: a cross-site scripting flaw has nothing to contain it.",
    "Send a Content-Security-Policy that allows scripts only from your own origin (with nonces or hashes for inline ones), e.g. `default-src 'self'; object-src 'none'; base-uri 'self'`.",
  ),
  unsafeInline: rule(
    "csp-unsafe-inline",
    "medium",
    "'unsafe-inline' in the script policy lets injected inline scripts run, which undoes most of what a Content-Security-Policy protects against.",
    "Remove 'unsafe-inline' from script-src (or default-src) and allow the inline scripts you need with nonces or hashes.",
  ),
  unsafeEval: rule(
    "csp-unsafe-eval",
    "medium",
    "'unsafe-eval' lets scripts turn strings into code (eval, new Function), a common way to exploit injection.",
    "Remove 'unsafe-eval' and replace the code that needs it (string timers, eval-based templates).",
  ),
  wildcardSource: rule(
    "csp-wildcard-source",
    "medium",
    "A script source of *, http:, https: or data: allows scripts from almost anywhere, so the policy stops little.",
    "List the exact origins scripts may come from, or use 'self' with nonces.",
  ),
  missingNosniff: rule(
    "missing-x-content-type-options",
    "low",
    "Without `X-Content-Type-Options: nosniff`, browsers may guess a response's type and run an uploaded file as script or style.",
    "Send `X-Content-Type-Options: nosniff` on every response.",
  ),
  missingFrame: rule(
    "missing-frame-protection",
    "medium",
    "With neither X-Frame-Options nor a CSP frame-ancestors directive, any site can frame the page and trick users into clicking on it (clickjacking).",
    "Send `Content-Security-Policy: frame-ancestors 'self'` (and `X-Frame-Options: SAMEORIGIN` for old browsers).",
  ),
  missingReferrer: rule(
    "missing-referrer-policy",
    "low",
    "Without a Referrer-Policy, older browsers send the full URL, query string included, to other sites the page links to or loads from.",
    "Send `Referrer-Policy: strict-origin-when-cross-origin` (or `no-referrer`).",
  ),
  corsCredentials: rule(
    "cors-wildcard-with-credentials",
    "high",
    "A wildcard Access-Control-Allow-Origin with Access-Control-Allow-Credentials: true shows a CORS policy meant to let any site read responses with the user's cookies; servers that do this often reflect the caller's origin, which does exactly that.",
    "Allow credentials only for an explicit list of trusted origins, checked on the server, and never reflect the Origin header back unchecked.",
  ),
  versionDisclosure: rule(
    "version-disclosure",
    "low",
    "The response names the server software and its version, which tells attackers which known vulnerabilities to try.",
    "Remove X-Powered-By and version details from Server (e.g. `server_tokens off` in nginx, `app.disable('x-powered-by')` in Express).",
  ),
  cookieSecure: rule(
    "cookie-without-secure",
    "medium",
    "A cookie without the Secure attribute is also sent over plain HTTP, where it can be read on the network.",
    "Add `Secure` to the cookie (and serve the site over HTTPS only).",
  ),
  cookieHttpOnly: rule(
    "cookie-without-httponly",
    "medium",
    "A cookie without HttpOnly can be read by JavaScript, so any cross-site scripting flaw can steal it.",
    "Add `HttpOnly` to every cookie that scripts do not need to read, session cookies above all.",
  ),
  cookieSameSite: rule(
    "cookie-without-samesite",
    "low",
    "A cookie without SameSite leaves the browser's default to decide whether it goes with cross-site requests, which weakens protection against request forgery.",
    "Add `SameSite=Lax` (or `Strict`); use `SameSite=None; Secure` only for cookies that must work across sites.",
  ),
};

const STATUS = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\b/;
const HEADER = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):[ \t]*(.*)$/;
/** `curl -v` marks response lines with `< `. */
const CURL_MARK = /^[<>] ?/;
/** Names only an HTTP message has, to recognise a header block pasted without its status line. */
const HTTP_ONLY = new Set([
  "content-type",
  "set-cookie",
  "cache-control",
  "x-powered-by",
  "strict-transport-security",
  "content-security-policy",
  "x-frame-options",
  "x-content-type-options",
  "referrer-policy",
  "access-control-allow-origin",
  "content-length",
  "etag",
  "last-modified",
  "vary",
]);
const SIX_MONTHS = 15_552_000;

/** Security headers of every HTTP response pasted in the text: the ones missing and the ones set weakly. */
export function detectHeaders(index: LineIndex): { responses: number; findings: Finding[] } {
  const responses = findResponses(index);
  return { responses: responses.length, findings: responses.flatMap(checkResponse) };
}

function findResponses(index: LineIndex): Response[] {
  const responses: Response[] = [];
  const lines = index.lines;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const marked = CURL_MARK.test(line) && STATUS.test(line.replace(CURL_MARK, ""));
    const status = (marked ? line.replace(CURL_MARK, "") : line).trim();
    if (!STATUS.test(status)) continue;
    const headers = readHeaders(index, i + 1, marked);
    responses.push({ line: i + 1, title: status, headers });
    i += headers.length;
  }
  if (responses.length > 0) return responses;
  // A header block alone, e.g. copied from the browser's network panel.
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first === -1) return [];
  const headers = readHeaders(index, first, false);
  if (headers.filter((h) => HTTP_ONLY.has(h.name)).length < 2) return [];
  return [{ line: first + 1, title: "the pasted response headers", headers }];
}

/** Header lines from `from` (0-based) to the first blank or non-header line; folded lines join the header above. */
function readHeaders(index: LineIndex, from: number, marked: boolean): Header[] {
  const headers: Header[] = [];
  for (let i = from; i < index.lines.length; i++) {
    const raw = index.lines[i]!;
    const prefix = marked ? (CURL_MARK.exec(raw)?.[0] ?? "") : "";
    const line = raw.slice(prefix.length);
    const last = headers.at(-1);
    if (last && /^[ \t]+\S/.test(line)) {
      last.value += ` ${line.trim()}`;
      continue;
    }
    const header = HEADER.exec(line);
    if (!header) break;
    const value = header[2]!.trim();
    const valueAt = index.startOf(i + 1) + prefix.length + line.indexOf(header[2]!);
    headers.push({ name: header[1]!.toLowerCase(), value, line: i + 1, valueAt });
  }
  return headers;
}

function checkResponse(response: Response): Finding[] {
  const findings: Finding[] = [];
  const all = (name: string) => response.headers.filter((h) => h.name === name);
  const one = (name: string) => all(name)[0];
  const missing = (info: RuleInfo, header: string) =>
    findings.push(findingOf(info, "header", { line: response.line }, `${response.title}: no ${header} header`));
  const weak = (info: RuleInfo, header: Header) =>
    findings.push(findingOf(info, "header", { line: header.line }, clipLine(`${header.name}: ${header.value}`, 160)));

  const contentType = one("content-type")?.value;
  // Framing, scripts and referrers matter for documents a browser renders, not for JSON or images.
  const isPage = contentType === undefined || /html/i.test(contentType);

  const hsts = one("strict-transport-security");
  if (!hsts) missing(RULES.missingHsts, "Strict-Transport-Security");
  else {
    const maxAge = /max-age\s*=\s*"?(\d+)/i.exec(hsts.value);
    if (!maxAge || Number(maxAge[1]) < SIX_MONTHS) weak(RULES.weakHsts, hsts);
  }

  const csp = one("content-security-policy");
  const directives = csp ? parseCsp(csp.value) : new Map<string, string[]>();
  if (isPage && !csp) missing(RULES.missingCsp, "Content-Security-Policy");
  if (csp) {
    const scripts = directives.get("script-src") ?? directives.get("default-src");
    if (scripts) {
      // Browsers ignore 'unsafe-inline' when a nonce or hash is present.
      const hasNonce = scripts.some((s) => /^'(?:nonce|sha256|sha384|sha512)-/i.test(s));
      if (scripts.includes("'unsafe-inline'") && !hasNonce) weak(RULES.unsafeInline, csp);
      if (scripts.includes("'unsafe-eval'")) weak(RULES.unsafeEval, csp);
      if (scripts.some((s) => ["*", "http:", "https:", "data:"].includes(s))) weak(RULES.wildcardSource, csp);
    }
  }

  if (one("x-content-type-options")?.value.toLowerCase() !== "nosniff") missing(RULES.missingNosniff, "X-Content-Type-Options: nosniff");
  const frameOptions = one("x-frame-options")?.value.toLowerCase();
  if (isPage && !directives.has("frame-ancestors") && frameOptions !== "deny" && frameOptions !== "sameorigin") {
    missing(RULES.missingFrame, "X-Frame-Options or CSP frame-ancestors");
  }
  if (isPage && !one("referrer-policy")) missing(RULES.missingReferrer, "Referrer-Policy");

  const origin = one("access-control-allow-origin");
  if (origin?.value === "*" && one("access-control-allow-credentials")?.value.toLowerCase() === "true") weak(RULES.corsCredentials, origin);

  for (const header of response.headers) {
    const disclosing =
      (header.name === "server" && /\d/.test(header.value)) || ["x-powered-by", "x-aspnet-version", "x-aspnetmvc-version"].includes(header.name);
    if (disclosing) weak(RULES.versionDisclosure, header);
  }

  for (const cookie of all("set-cookie")) findings.push(...checkCookie(cookie));
  return findings;
}

/** Directive name → its sources, both lower-cased; the first of a repeated directive counts, as in browsers. */
function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !directives.has(name.toLowerCase()))
      directives.set(
        name.toLowerCase(),
        sources.map((s) => s.toLowerCase()),
      );
  }
  return directives;
}

/** A session cookie's value is a credential: evidence shows its name and attributes, the value masked. */
function checkCookie(cookie: Header): Finding[] {
  const [pair = "", ...attributes] = cookie.value.split(";");
  const eq = pair.indexOf("=");
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  // A cookie being deleted carries nothing worth protecting.
  if (eq === -1 || value === "" || attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a))) return [];
  const flags = new Set(attributes.map((a) => a.trim().split("=")[0]!.toLowerCase()));
  const valueStart = cookie.valueAt + cookie.value.indexOf(value, eq);
  const secret = { start: valueStart, end: valueStart + value.length };
  const evidence = `set-cookie: ${name}=${maskSecret(value)};${attributes.join(";")}`;
  const at = { line: cookie.line };
  const sessionLike = /sess|sid|auth|token|jwt|login|remember/i.test(name);
  const findings: Finding[] = [];
  if (!flags.has("secure")) findings.push(findingOf(RULES.cookieSecure, "header", at, evidence, secret));
  if (!flags.has("httponly")) {
    const finding = findingOf(RULES.cookieHttpOnly, "header", at, evidence, secret);
    findings.push(sessionLike ? finding : { ...finding, severity: "low" });
  }
  if (!flags.has("samesite")) findings.push(findingOf(RULES.cookieSameSite, "header", at, evidence, secret));
  return findings;
}
