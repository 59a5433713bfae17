import { z } from "zod";

export const keyKinds = ["publishable", "secret"] as const;
export const keyModes = ["test", "live"] as const;
export type KeyKind = (typeof keyKinds)[number];
export type KeyMode = (typeof keyModes)[number];

export const keyKind = z.enum(keyKinds);
export const keyMode = z.enum(keyModes);

/** `pk_live_…`, `sk_test_…`: the prefix says the kind and the mode; the body is lowercase base32. */
export const apiKeyPattern = /^(pk|sk)_(test|live)_[a-z2-7]{32,64}$/;

/**
 * An allowed origin for a publishable key: an exact origin (`https://shop.example.com`, `http://localhost:3000`)
 * or a wildcard on subdomains (`https://*.example.com`). No paths, no trailing slash.
 */
export const allowedOrigin = z
  .string()
  .max(253)
  .regex(
    /^https?:\/\/(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?(:\d{1,5})?$/,
    "must be an origin like https://example.com or https://*.example.com, without a path",
  );

export const allowedOrigins = z.array(allowedOrigin).max(50);
