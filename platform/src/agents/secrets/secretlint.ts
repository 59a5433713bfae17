import { lintSource } from "@secretlint/core";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";
import type { SecretLintCoreConfig, SecretLintCoreResultMessage } from "@secretlint/types";
import { OPENAI_KEY, PRIVATE_KEY, ROTATE, URL_PASSWORD } from "./secret-rules.ts";
import type { RuleInfo, Span } from "./types.ts";

/** A secret some detector found: where the secret itself is, and the text around it shown (masked) as evidence. */
export interface SecretCandidate {
  rule: RuleInfo;
  priority: number;
  secret: Span;
  context: Span;
}

const DATABASE_URL: RuleInfo = {
  id: "database-url-password",
  severity: "critical",
  explanation: "A database connection URL holds a password in clear text; anyone who reads it can connect to the database as that user.",
  fix: "Change the database password, then read the credentials from a secret manager or the environment at run time.",
};

/** secretlint's message ids, as this scanner names and explains them. */
const PRESET_RULES: Record<string, RuleInfo> = {
  AWSAccessKeyID: {
    id: "aws-access-key-id",
    severity: "high",
    explanation: "An AWS access key ID names a credential; with its secret access key (often nearby) it grants the IAM user's or role's permissions.",
    fix: "Deactivate and delete the access key in IAM, check CloudTrail for its use, then use roles or a secret manager instead of long-lived keys.",
  },
  AWSSecretAccessKey: {
    id: "aws-secret-access-key",
    severity: "critical",
    explanation: "An AWS secret access key completes an AWS credential: anyone with it acts with the key owner's permissions in the account.",
    fix: "Deactivate and delete the access key in IAM now, check CloudTrail for its use, and move to IAM roles or a secret manager.",
  },
  PrivateKeyJSON: {
    id: "gcp-service-account-key",
    severity: "critical",
    explanation: "A Google Cloud service account key file lets anyone authenticate as the service account, with every role it holds.",
    fix: "Delete the key in IAM now, check the audit logs for its use, and use workload identity or a secret manager instead of key files.",
  },
  PrivateKey: PRIVATE_KEY,
  NPM_ACCESS_TOKEN: {
    id: "npm-token",
    severity: "high",
    explanation: "An npm access token can publish packages as its owner: a leaked one is a supply-chain risk for everyone who installs them.",
    fix: `${ROTATE} Use granular tokens limited to the packages and with an expiry.`,
  },
  Npmrc_authToken: {
    id: "npm-token",
    severity: "high",
    explanation: "An npm registry auth token in .npmrc lets anyone read private packages and, with write rights, publish them.",
    fix: "Revoke the token, and let .npmrc refer to an environment variable (NPM_TOKEN) instead of holding the token.",
  },
  PackageJSON_xOauthToken: {
    id: "github-token",
    severity: "high",
    explanation: "A GitHub token in a dependency URL gives anyone who reads the manifest access to the repositories the token can reach.",
    fix: `${ROTATE} Use a deploy key or the registry's own authentication for private dependencies.`,
  },
  GITHUB_TOKEN: {
    id: "github-token",
    severity: "high",
    explanation: "A GitHub token acts as its user or app: it can read private repositories and, with write scopes, push code or change settings.",
    fix: `${ROTATE} Prefer fine-grained tokens with an expiry, or GitHub Actions' own GITHUB_TOKEN.`,
  },
  SLACK_TOKEN: {
    id: "slack-token",
    severity: "high",
    explanation: "A Slack token lets anyone read and post in the workspace as the bot or user it belongs to.",
    fix: ROTATE,
  },
  IncomingWebhook: {
    id: "slack-webhook",
    severity: "medium",
    explanation: "A Slack incoming webhook URL lets anyone post messages into the channel, for example convincing phishing messages.",
    fix: "Regenerate the webhook in the Slack app settings and keep the URL in a secret store.",
  },
  BasicAuth: URL_PASSWORD,
  SENDGRID_KEY: {
    id: "sendgrid-api-key",
    severity: "high",
    explanation: "A SendGrid API key lets anyone send email as the business, which is ideal for phishing, and may expose contact lists.",
    fix: `${ROTATE} Give the new key only the Mail Send permission if that is all it needs.`,
  },
  SHOPIFY_KEY: {
    id: "shopify-token",
    severity: "high",
    explanation: "A Shopify app secret or access token gives access to the shop's orders, customers and products.",
    fix: ROTATE,
  },
  OPENAI_TOKEN: OPENAI_KEY,
  ANTHROPIC_API_KEY: {
    id: "anthropic-api-key",
    severity: "high",
    explanation: "An Anthropic API key lets anyone call Claude on the organisation's account and bill.",
    fix: ROTATE,
  },
  LINEAR_API_TOKEN: {
    id: "linear-api-key",
    severity: "high",
    explanation: "A Linear API key reads and changes the workspace's issues and projects as its user.",
    fix: ROTATE,
  },
  OPS_TOKEN: {
    id: "1password-service-account-token",
    severity: "critical",
    explanation: "A 1Password service account token opens every vault the service account can read.",
    fix: "Revoke the service account token in 1Password now, check its activity, and inject it at run time only.",
  },
  MongoDBConnection: DATABASE_URL,
  MySQLConnection: DATABASE_URL,
  PostgreSQLConnection: DATABASE_URL,
};

/** A message id this scanner does not know yet (a newer preset): still a secret, in secretlint's own words. */
const unknownRule = (messageId: string): RuleInfo => ({
  id: `secretlint-${messageId.toLowerCase().replace(/_/g, "-")}`,
  severity: "high",
  explanation: "secretlint's recommended rules recognise this value as a credential.",
  fix: ROTATE,
});

const config: SecretLintCoreConfig = {
  rules: [
    {
      id: recommended.meta.id,
      rule: recommended,
      rules: [
        // Access key IDs are off by default in the preset; account IDs are identifiers, not secrets.
        { id: "@secretlint/secretlint-rule-aws", options: { enableIDScanRule: true }, allowMessageIds: ["AWSAccountID"] },
        // A `secretlint-disable` comment in the scanned text must not hide a secret from the person asking.
        { id: "@secretlint/secretlint-rule-filter-comments", disabled: true },
      ],
    },
  ],
};

/** Any password in a URL: a token used as one (github_pat_… in a git remote) is better named by its own rule. */
const BROAD = new Set(["BasicAuth", "MongoDBConnection", "MySQLConnection", "PostgreSQLConnection"]);

/** Where the data names the value it found, in the order the preset's rules use them. */
const VALUE_KEYS = ["KEY", "TOKEN", "ID", "URI", "CREDENTIAL", "URL"] as const;

/**
 * secretlint's recommended preset over the text. The source gets a fixed made-up path: the preset's GCP rule reads a
 * `.p12` file from disk by its path, and a name from the input must never choose a file to read.
 */
export async function secretlintCandidates(text: string, json: boolean): Promise<SecretCandidate[]> {
  const result = await lintSource({
    source: { content: text, filePath: json ? "scanned.json" : "scanned.txt", ext: json ? ".json" : ".txt", contentType: "text" },
    options: { config, noPhysicFilePath: true },
  });
  return result.messages.flatMap((message) => {
    const candidate = toCandidate(text, message);
    return candidate ? [candidate] : [];
  });
}

function toCandidate(text: string, message: SecretLintCoreResultMessage): SecretCandidate | null {
  const rule = PRESET_RULES[message.messageId] ?? unknownRule(message.messageId);
  if (message.messageId === "PrivateKeyJSON") {
    // The rule reports the whole file; the key id is what to point at and mask.
    const id = /"private_key_id"\s*:\s*"(?<secret>[^"]+)"/d.exec(text)?.indices?.groups?.secret;
    if (!id) return null;
    const span = { start: id[0], end: id[1] };
    return { rule, priority: 0, secret: span, context: span };
  }
  const data = (message.data ?? {}) as Record<string, unknown>;
  const value = VALUE_KEYS.map((key) => data[key]).find((v): v is string => typeof v === "string" && v.length > 0);
  if (!value) return null;
  // Some rules report a range that starts at the key name rather than the value (the AWS secret key).
  const found = text.indexOf(value, message.range[0]);
  const start = found === -1 ? message.range[0] : found;
  const context = { start, end: start + value.length };
  const inner = secretWithin(value);
  return { rule, priority: BROAD.has(message.messageId) ? 1 : 0, secret: { start: start + inner.start, end: start + inner.end }, context };
}

/** The secret part of what a preset rule reports: a URL's password, a webhook's path, a PEM block's body. */
function secretWithin(value: string): Span {
  const password = /^[a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:(?<secret>[^@/\s]+)@/di.exec(value)?.indices?.groups?.secret;
  if (password) return { start: password[0], end: password[1] };
  const webhook = value.indexOf("/services/");
  if (value.startsWith("https://hooks.slack.com") && webhook !== -1) return { start: webhook + "/services/".length, end: value.length };
  const pem = /^-----BEGIN[^\n]*?-----(?<secret>[\s\S]*?)-----END/d.exec(value)?.indices?.groups?.secret;
  if (pem) return { start: pem[0], end: pem[1] };
  return { start: 0, end: value.length };
}
