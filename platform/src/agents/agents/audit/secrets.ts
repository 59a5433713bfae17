/** Provider tokens by their shape. */
const TOKENS = [
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})\b/g,
  /\b[spr]k_(live|test)_[A-Za-z0-9]{16,}\b/g,
  /\bsk-[A-Za-z0-9_-]{20,}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g,
  /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
];

const PRIVATE_KEY = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;

/** A value given for a password, secret, token or key ("password: Summer2024!"); words without a digit or symbol are prose. */
const ASSIGNED = /\b(password|passwd|pwd|passphrase|secret|token|api[_ -]?key|access[_ -]?key|client[_ -]?secret)(\s*(?:is|was|=|:)\s*)(["']?)([^\s"'`]{6,})/gi;

/**
 * Text with secret-looking values cut to a few leading characters, so that evidence and tickets never carry a
 * password, key or token in full into a prompt or an output.
 */
export function maskSecrets(text: string): string {
  let masked = text.replace(ASSIGNED, (all, name: string, between: string, quote: string, value: string) =>
    /[^A-Za-z]/.test(value) ? `${name}${between}${quote}${hide(value)}` : all,
  );
  for (const pattern of TOKENS) masked = masked.replace(pattern, hide);
  return masked.replace(PRIVATE_KEY, (_key, kind: string) => `[${kind}private key hidden]`);
}

const hide = (value: string) => `${value.slice(0, Math.min(4, Math.floor(value.length / 4)))}…[hidden]`;
