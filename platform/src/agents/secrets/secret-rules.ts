import type { RuleInfo } from "./types.ts";

/**
 * Secret detectors for what secretlint's recommended preset does not cover. Each pattern is global with indices
 * (`gd`), names the secret itself `secret` (the rest of the match is context shown masked as evidence), and avoids
 * nested quantifiers so that 200 KB of hostile text still scans in linear time.
 */
export interface SecretRule extends RuleInfo {
  pattern: RegExp;
  /** 0 for a pattern specific to one kind of credential; higher ones lose where they overlap a more specific find. */
  priority: number;
  /** A further check of the secret, with its line and match, for what a pattern alone cannot tell. */
  accept?: (secret: string, line: string, match: RegExpExecArray) => boolean;
}

export const ROTATE = "Revoke or rotate it now, then load it from a secret manager or an environment variable instead of the file.";

// The rules that secretlint's preset has too: one name and one explanation whichever detector finds the secret.
export const PRIVATE_KEY: RuleInfo = {
  id: "private-key",
  severity: "critical",
  explanation: "A private key lets anyone impersonate its owner: decrypt traffic, sign as the server or user, or log in over SSH.",
  fix: "Treat the key as compromised: replace it, revoke any certificate or authorised-keys entry for it, and keep keys in a secret store or key vault.",
};
export const URL_PASSWORD: RuleInfo = {
  id: "url-password",
  severity: "high",
  explanation: "A URL carries a password in clear text; anyone who reads the file, a log line or a process listing gets the account.",
  fix: "Change the password, then give the client the credentials separately (an environment variable or a secret manager) and keep them out of URLs.",
};
export const OPENAI_KEY: RuleInfo = {
  id: "openai-api-key",
  severity: "high",
  explanation: "An OpenAI API key lets anyone use the models and data of its project, billed to the organisation.",
  fix: ROTATE,
};

/** Values that stand for a secret rather than being one: templates, variables, documentation placeholders. */
const PLACEHOLDER =
  /^(?:\\?\$\{|\$\(|\{\{|\{[a-z_]|<|%[A-Z_(]|\$[A-Za-z_]|process\.env|os\.environ|env\(|getenv)|your[_-]|example|placeholder|change[_-]?me|xxxx|\*\*\*|redacted|dummy|sample|replace[_-]?(?:me|with)|insert[_-]|\.\.\.|…|^(?:pass(?:word)?|secret|passwd|token|none|null|nil|undefined|true|false|empty)$/i;

/**
 * Short values that announce themselves as not real: test-password, fake_token, mock-key-1, admin123. Long random
 * keys are left alone, where such a word can turn up by chance.
 */
const NOT_REAL = /(?:^|[^A-Za-z])(?:test|fake|mock|demo)(?:[^A-Za-z]|$)|^(?:password|passw0rd|secret|admin|letmein|qwerty|default)\d*!?$/i;

export const isPlaceholder = (value: string) => PLACEHOLDER.test(value) || (value.length < 40 && NOT_REAL.test(value)) || /^(.)\1+$/.test(value);

/** A JSON Web Token's header decodes to an object that names its algorithm. */
function isJwt(token: string): boolean {
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, token.indexOf(".")), "base64url").toString("utf8"));
    return typeof header === "object" && header !== null && typeof (header as { alg?: unknown }).alg === "string";
  } catch {
    return false;
  }
}

export const SECRET_RULES: SecretRule[] = [
  {
    id: "azure-storage-key",
    severity: "critical",
    priority: 0,
    pattern: /\bAccountKey=(?<secret>[A-Za-z0-9+/]{86}==)/dg,
    explanation: "An Azure Storage account key grants full read, write and delete access to every blob, queue, table and file share of the account.",
    fix: `${ROTATE} Prefer Microsoft Entra ID (managed identity) or short-lived SAS tokens over account keys.`,
  },
  {
    id: "azure-sas-token",
    severity: "high",
    priority: 0,
    pattern: /[?&;]sig=(?<secret>[A-Za-z0-9%+/]{40,}={0,2})/dg,
    accept: (_secret, line) => /[?&;]sv=\d{4}-\d{2}-\d{2}/.test(line) || /SharedAccessSignature/i.test(line),
    explanation: "An Azure shared access signature gives whoever holds the URL the access it was issued with, until it expires.",
    fix: "Revoke it (rotate the key it was signed with, or remove its stored access policy) and issue short-lived SAS tokens at run time.",
  },
  {
    id: "azure-client-secret",
    severity: "high",
    priority: 0,
    pattern: /(?<![\w~.-])(?<secret>[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![\w~.-])/dg,
    explanation: "A Microsoft Entra ID (Azure AD) client secret lets anyone sign in as the application and use every permission granted to it.",
    fix: `${ROTATE} Prefer a managed identity or a certificate credential.`,
  },
  {
    id: "gitlab-token",
    severity: "high",
    priority: 0,
    pattern: /(?<![\w-])(?<secret>(?:glpat|gldt|glrt|glptt|glsoat|gloas)-[A-Za-z0-9_-]{20,64})(?![\w-])/dg,
    explanation: "A GitLab access token acts as its user or project: it can read private code and, with write scopes, push to it or run pipelines.",
    fix: `${ROTATE} Give the replacement the narrowest scopes and an expiry date.`,
  },
  {
    id: "stripe-live-key",
    severity: "critical",
    priority: 0,
    pattern: /(?<![\w])(?<secret>(?:sk|rk)_live_[A-Za-z0-9]{24,99})(?![\w])/dg,
    explanation: "A live Stripe secret or restricted key can create charges, issue refunds and read customer and payment data.",
    fix: "Roll the key in the Stripe dashboard now, then load it from a secret manager or an environment variable instead of the file.",
  },
  {
    id: "twilio-api-key",
    severity: "high",
    priority: 0,
    pattern: /(?<![A-Za-z0-9])(?<secret>SK[0-9a-fA-F]{32})(?![A-Za-z0-9])/dg,
    explanation: "A Twilio API key SID, together with its secret, lets anyone send messages and calls billed to the account.",
    fix: `${ROTATE} Delete the API key in the Twilio console if its secret may have leaked too.`,
  },
  {
    id: "twilio-auth-token",
    severity: "critical",
    priority: 0,
    pattern: /(?<![\w.-])[\w.-]*(?:twilio[\w.-]*token|auth_?token)["']?\s*[:=]\s*["']?(?<secret>[0-9a-f]{32})(?![0-9a-zA-Z])/dgi,
    explanation: "A Twilio auth token is the account's master credential: with the account SID it controls messaging, calls, numbers and billing.",
    fix: "Rotate the auth token in the Twilio console now. Load it from a secret manager, and use API keys for applications.",
  },
  {
    id: "twilio-account-sid",
    severity: "low",
    priority: 0,
    pattern: /(?<![A-Za-z0-9])(?<secret>AC[0-9a-f]{32})(?![A-Za-z0-9])/dg,
    explanation:
      "A Twilio account SID identifies the account; it is not a secret alone, but next to an auth token or API key it completes a working credential.",
    fix: "Keep it in configuration beside the credentials it goes with, and make sure no auth token or API key secret is committed with it.",
  },
  {
    id: "jwt",
    severity: "high",
    priority: 0,
    pattern: /(?<![\w-])(?<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})(?![\w-])/dg,
    accept: isJwt,
    explanation: "A signed JSON Web Token is a bearer credential: until it expires, anyone holding it is treated as its subject.",
    fix: "Remove it from the file; if it is long-lived, revoke it or rotate the signing key. Fetch tokens at run time instead.",
  },
  {
    id: "google-api-key",
    severity: "high",
    priority: 0,
    pattern: /(?<![\w-])(?<secret>AIza[0-9A-Za-z_-]{35})(?![\w-])/dg,
    explanation: "A Google Cloud API key lets anyone call the APIs it is enabled for, billed to the project.",
    fix: `${ROTATE} Restrict the new key to the APIs, referrers or IP addresses that need it.`,
  },
  {
    // Newer key formats that the preset's pattern (which wants the T3BlbkFJ marker) may miss.
    ...OPENAI_KEY,
    priority: 1,
    pattern: /(?<![\w-])(?<secret>sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,})(?![\w-])/dg,
  },
  {
    // Kinds the preset's pattern leaves out, such as ENCRYPTED PRIVATE KEY.
    ...PRIVATE_KEY,
    priority: 1,
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?<secret>[^-]{64,12000})-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/dg,
    accept: (body) => /[A-Za-z0-9+/]{60}/.test(body.replace(/\\n/g, "\n")),
  },
  {
    ...URL_PASSWORD,
    priority: 1,
    pattern: /\b[a-z][a-z0-9+.-]{1,19}:\/\/(?<user>[^\s:@/?#"'`]{0,100}):(?<secret>[^\s@/?#"'`]{3,200})@[^\s/?#"'`:]{1,255}/dgi,
    // The same word as user and password is a local default (postgres:postgres), not a leaked credential.
    accept: (secret, _line, match) => secret !== match.groups?.user,
  },
  {
    id: "connection-string-password",
    severity: "high",
    priority: 0,
    pattern: /(?<![\w])(?:Password|Pwd)\s*=\s*(?<secret>[^;'"\s]{4,128})/dgi,
    accept: (_secret, line) => /(?:Server|Data Source|Host|Address|Initial Catalog|Database)\s*=/i.test(line),
    explanation: "A database connection string holds a password in clear text; anyone who reads it can connect as that user.",
    fix: "Change the password, then use integrated or managed-identity authentication, or read the password from a secret manager at run time.",
  },
  {
    id: "authorization-header",
    severity: "high",
    priority: 1,
    pattern: /\bAuthorization:\s*(?:Bearer|Basic|Token)\s+(?<secret>[A-Za-z0-9._~+/-]{16,}={0,2})/dgi,
    explanation: "An Authorization header's credential, captured in a request or log, lets anyone replay it as that user or service.",
    fix: "Revoke or rotate the credential, and redact Authorization headers before sharing or logging requests.",
  },
];

/** A hard-coded value assigned to a name that says it is secret, checked for randomness rather than by format. */
export const GENERIC_SECRET: RuleInfo & { priority: number } = {
  id: "generic-secret",
  severity: "high",
  priority: 2,
  explanation: "A password, token or key is written into the file; anyone with access to the file, its history or a copy of it has the credential.",
  fix: ROTATE,
};

/**
 * Patterns that mask what they find without reporting it, for text an agent shows the model or puts in a result:
 * looser than the rules above (prose such as "the password is …", provider prefixes however long, a PEM block without
 * its end), since masking a value that was not a secret costs little there. Each names the secret `secret`, as above.
 */
export interface MaskRule {
  pattern: RegExp;
  accept?: (secret: string, match: RegExpMatchArray) => boolean;
}

/**
 * A value given for a name that says it is secret. A name written as a key (api_key, dbPassword, "token":, password=)
 * hides whatever value follows; a plain word followed by ":", "is" or "was" is prose unless the value has a digit or a
 * symbol and six or more characters, so that "the password is rotated yearly" and "token: expires hourly" stay.
 */
const NAMED_VALUE =
  /(?<!\w)(?<name>[\w.-]{0,40}?(?:passw(?:or)?d|passphrase|pwd|secret|token|api[_ -]?key|apikey|access[_ -]?key|private[_-]?key|credentials?|authorization|cookie|session[_-]?id)[\w.-]{0,40}?)(?<separator>["']?[ \t]*(?:[:=]|\b(?:is|was)\b)[ \t]*["']?)(?:(?:Bearer|Basic|Token)[ \t]+)?(?<secret>[^\s"'`&,;}]+)/dgi;

const asKey = (name: string, separator: string) => /[_.-]|[a-z][A-Z]/.test(name) || /^["']|=/.test(separator);

export const MASK_RULES: MaskRule[] = [
  {
    pattern: NAMED_VALUE,
    accept: (secret, match) => asKey(match.groups!.name!, match.groups!.separator!) || (secret.length >= 6 && /[^A-Za-z]/.test(secret)),
  },
  // An HTTP authorization scheme's credential, wherever it is written; a word after it ("Basic authentication") is not one.
  { pattern: /\b(?:Bearer|Basic|Token)[ \t]+(?<secret>[A-Za-z0-9._~+/=-]{8,})/dg, accept: (secret) => /[^A-Za-z]/.test(secret) },
  // A JSON Web Token, whatever its header says.
  { pattern: /(?<![\w-])(?<secret>eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]+)/dg },
  // A URL's password, whatever the user.
  { pattern: /\b[a-z][a-z0-9+.-]{0,20}:\/\/[^\s:@/]{1,256}:(?<secret>[^\s@/]{1,256})@/dgi },
  // Provider keys by their prefix, the documentation's examples included.
  {
    pattern:
      /\b(?<secret>AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|[spr]k_(?:live|test)_[A-Za-z0-9]{16,}|sk-[A-Za-z0-9_-]{20,}|xox[abprs]-[A-Za-z0-9-]{10,})\b/dg,
  },
  // A private key's body, to its end line or the end of the text.
  { pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?<secret>[\s\S]*?)(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/dg },
];

const SECRET_NAME = /passw(?:or)?d|passphrase|^pass$|^pwd$|secret|token|api[\s_.-]?key|private[\s_.-]?key|access[\s_.-]?key|credential/i;

/** A field (a column, a key) whose name says its values are secrets: they are masked whatever they look like. */
export const isSecretName = (field: string) => SECRET_NAME.test(field);
