import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { KeyKind, KeyMode } from "@bizbot/shared";
import type { DB } from "../db/schema.ts";
import { sha256Hex } from "../lib/crypto.ts";
import type { Bus } from "../redis/bus.ts";
import { parseKey } from "./format.ts";
import { findKeyByHash, touchLastUsed } from "./repository.ts";

export interface VerifiedKey {
  id: string;
  tenantId: string;
  tenantName: string;
  kind: KeyKind;
  mode: KeyMode;
  allowedOrigins: readonly string[];
}

interface CacheEntry {
  key: VerifiedKey | null;
  expiresAt: number | null;
  cachedUntil: number;
}

export const KEY_REVOKED_CHANNEL = "keys:revoked";
const LAST_USED_INTERVAL_MS = 60_000;

export interface KeyVerifierOptions {
  /** How long a verification is trusted without asking the database. Revocations arrive sooner over the bus. */
  cacheTtlMs?: number;
  /** How long an unknown key is remembered as unknown, so a flood of bad keys does not reach the database. */
  negativeTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * Checks API keys. Verifications are cached in this process; a revocation is published on the bus and every
 * instance drops the key at once. While the bus is not live, messages may be lost, so the cache is bypassed.
 */
export class KeyVerifier {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly lastTouched = new Map<string, number>();
  private readonly cacheTtlMs: number;
  private readonly negativeTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: Bus,
    private readonly log: Logger,
    options: KeyVerifierOptions = {},
  ) {
    this.cacheTtlMs = options.cacheTtlMs ?? 60_000;
    this.negativeTtlMs = options.negativeTtlMs ?? 5_000;
    this.maxEntries = options.maxEntries ?? 50_000;
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<void> {
    await this.bus.subscribe(KEY_REVOKED_CHANNEL, (hash) => this.cache.delete(hash));
    this.bus.onResync(() => this.cache.clear());
  }

  /** The key's identity if it exists, is not revoked and has not expired; otherwise null. */
  async verify(presented: string): Promise<VerifiedKey | null> {
    if (!parseKey(presented)) return null;
    const hash = sha256Hex(presented);
    const now = this.now();
    let entry = this.bus.isLive() ? this.cache.get(hash) : undefined;
    if (!entry || entry.cachedUntil <= now) {
      entry = await this.load(hash, now);
    }
    if (!entry.key || (entry.expiresAt !== null && entry.expiresAt <= now)) return null;
    this.touch(entry.key.id, now);
    return entry.key;
  }

  /** Drops a key (revoked, or its expiry changed) here and tells every other instance to do the same. */
  async invalidate(hash: string): Promise<void> {
    this.cache.delete(hash);
    try {
      await this.bus.publish(KEY_REVOKED_CHANNEL, hash);
    } catch (error) {
      // The database already holds the revocation; instances whose bus is down bypass their caches.
      this.log.error({ err: error }, "could not publish a key revocation");
    }
  }

  private async load(hash: string, now: number): Promise<CacheEntry> {
    const row = await findKeyByHash(this.db, hash);
    const entry: CacheEntry =
      row && !row.revoked_at
        ? {
            key: {
              id: row.id,
              tenantId: row.tenant_id,
              tenantName: row.tenant_name,
              kind: row.kind,
              mode: row.mode,
              allowedOrigins: row.allowed_origins,
            },
            expiresAt: row.expires_at ? row.expires_at.getTime() : null,
            cachedUntil: now + this.cacheTtlMs,
          }
        : { key: null, expiresAt: null, cachedUntil: now + this.negativeTtlMs };
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    this.cache.set(hash, entry);
    return entry;
  }

  private touch(id: string, now: number) {
    const last = this.lastTouched.get(id);
    if (last !== undefined && now - last < LAST_USED_INTERVAL_MS) return;
    this.lastTouched.set(id, now);
    if (this.lastTouched.size > this.maxEntries) this.lastTouched.clear();
    touchLastUsed(this.db, id).catch((error) => this.log.warn({ err: error, keyId: id }, "could not record key use"));
  }
}
