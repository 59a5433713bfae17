import { hmac } from "@oslojs/crypto/hmac";
import { SHA256, sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { randomBytes } from "node:crypto";

/** Lowercase base32 of `bytes` random bytes from the OS CSPRNG. */
export function randomToken(bytes: number): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(bytes));
}

/** SHA-256 as lowercase hex: how session tokens and API keys are stored. */
export function sha256Hex(value: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(value)));
}

/** HMAC-SHA256 as lowercase hex: how visitor identities are kept without storing what they are made of. */
export function hmacSha256Hex(key: string, value: string): string {
  const encoder = new TextEncoder();
  return encodeHexLowerCase(hmac(SHA256, encoder.encode(key), encoder.encode(value)));
}
