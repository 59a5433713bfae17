import { apiKeyPattern, type KeyKind, type KeyMode } from "@bizbot/shared";
import { randomToken, sha256Hex } from "../lib/crypto.ts";

const kindPrefix = { publishable: "pk", secret: "sk" } as const;
/** 24 random bytes: 192 bits, well over the 128 the design asks for. */
const KEY_BYTES = 24;
/** How much of the key stays visible in listings: the type, the mode and four characters of the body. */
const VISIBLE_BODY_CHARS = 4;

export interface GeneratedKey {
  key: string;
  hash: string;
  prefix: string;
}

export function generateKey(kind: KeyKind, mode: KeyMode): GeneratedKey {
  const key = `${kindPrefix[kind]}_${mode}_${randomToken(KEY_BYTES)}`;
  return { key, hash: sha256Hex(key), prefix: visiblePrefix(key) };
}

export function visiblePrefix(key: string): string {
  const head = key.slice(0, key.indexOf("_", 3) + 1);
  return `${head}${key.slice(head.length, head.length + VISIBLE_BODY_CHARS)}`;
}

/** The kind and mode a well-formed key claims, or null for anything that is not a key. */
export function parseKey(value: string): { kind: KeyKind; mode: KeyMode } | null {
  const match = apiKeyPattern.exec(value);
  if (!match) return null;
  return { kind: match[1] === "pk" ? "publishable" : "secret", mode: match[2] as KeyMode };
}
