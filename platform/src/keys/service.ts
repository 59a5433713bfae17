import type { Kysely, Transaction } from "kysely";
import type { KeyKind, KeyMode } from "@bizbot/shared";
import { insertAudit, type Actor } from "../audit/repository.ts";
import type { ApiKey, DB } from "../db/schema.ts";
import { conflict, invalidInput, notFound } from "../errors.ts";
import { newId } from "../lib/ids.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { generateKey, parseKey } from "./format.ts";
import { expireAt, findKey, findKeyAnyTenant, insertKey, listKeys as listKeyRows, markRevoked, updateKeyDetails } from "./repository.ts";
import type { KeyVerifier } from "./verifier.ts";

export interface KeyDeps {
  db: Kysely<DB>;
  keyVerifier: KeyVerifier;
}

export interface KeySpec {
  kind: KeyKind;
  mode: KeyMode;
  name?: string | undefined;
  allowedOrigins?: string[] | undefined;
  expiresAt?: Date | null | undefined;
}

/** What a listing shows of a key: never the key itself, never its hash. */
export interface KeySummary {
  id: string;
  kind: KeyKind;
  mode: KeyMode;
  name: string;
  prefix: string;
  allowedOrigins: string[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** A key as created: the only moment the full key is available. */
export interface CreatedKey extends KeySummary {
  key: string;
}

export function summarize(row: ApiKey): KeySummary {
  return {
    id: row.id,
    kind: row.kind,
    mode: row.mode,
    name: row.name,
    prefix: row.prefix,
    allowedOrigins: row.allowed_origins,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}

/** Creates a key inside the caller's transaction, with its audit entry. */
export async function insertNewKey(trx: Transaction<DB>, actor: Actor, tenantId: string, spec: KeySpec): Promise<CreatedKey> {
  if (spec.kind === "secret" && spec.allowedOrigins?.length) {
    throw invalidInput("Only publishable keys take allowed origins", { allowedOrigins: ["secret keys are used from servers, not browsers"] });
  }
  const generated = generateKey(spec.kind, spec.mode);
  const row = await insertKey(trx, {
    id: newId("apiKey"),
    tenant_id: tenantId,
    kind: spec.kind,
    mode: spec.mode,
    name: spec.name ?? "",
    hash: generated.hash,
    prefix: generated.prefix,
    allowed_origins: dedupe(spec.allowedOrigins ?? []),
    expires_at: spec.expiresAt ?? null,
  });
  await insertAudit(trx, actor, {
    tenantId,
    action: "api_key.created",
    target: { type: "api_key", id: row.id },
    metadata: { kind: row.kind, mode: row.mode, prefix: row.prefix, allowedOrigins: row.allowed_origins },
  });
  return { ...summarize(row), key: generated.key };
}

export async function createKey(deps: KeyDeps, actor: Actor, tenantId: string, spec: KeySpec): Promise<CreatedKey> {
  return deps.db.transaction().execute((trx) => insertNewKey(trx, actor, tenantId, spec));
}

export async function listKeys(deps: KeyDeps, tenantId: string): Promise<KeySummary[]> {
  return (await listKeyRows(deps.db, tenantId)).map(summarize);
}

/** Revokes a key of `tenantId`. Revoking twice is harmless and answers the same. */
export async function revokeKey(deps: KeyDeps, actor: Actor, tenantId: string, id: string): Promise<KeySummary> {
  const row = await deps.db.transaction().execute(async (trx) => {
    const key = await findKey(trx, tenantId, id);
    if (!key) throw notFound("API key");
    const revoked = await markRevoked(trx, key.id);
    if (!revoked) return key;
    await insertAudit(trx, actor, { tenantId, action: "api_key.revoked", target: { type: "api_key", id: key.id }, metadata: { prefix: key.prefix } });
    return revoked;
  });
  await deps.keyVerifier.invalidate(row.hash);
  return summarize(row);
}

/** What keys.update may change; absent fields stay as they are. */
export interface KeyChanges {
  name?: string | undefined;
  /** Replaces the list whole; publishable keys only. */
  allowedOrigins?: string[] | undefined;
}

/**
 * Renames a live key of `tenantId`, or replaces a publishable key's allowed origins, audited in the same
 * transaction. Then every instance's verifier drops the key, as for a revocation: the next request anywhere reads
 * the new origins, so an added origin works and a removed one is refused at once. A change to nothing writes nothing.
 */
export async function updateKey(deps: KeyDeps, actor: Actor, tenantId: string, id: string, changes: KeyChanges): Promise<KeySummary> {
  const { row, changed } = await deps.db.transaction().execute(async (trx) => {
    const key = await findKey(trx, tenantId, id);
    if (!key) throw notFound("API key");
    if (key.revoked_at || (key.expires_at && key.expires_at.getTime() <= Date.now())) {
      throw conflict("This key is revoked or expired and can no longer be edited; create a new one instead");
    }
    if (changes.allowedOrigins !== undefined && key.kind === "secret") {
      throw invalidInput("Only publishable keys take allowed origins", { allowedOrigins: ["secret keys are used from servers, not browsers"] });
    }
    const origins = changes.allowedOrigins === undefined ? undefined : dedupe(changes.allowedOrigins);
    const name = changes.name !== undefined && changes.name !== key.name ? changes.name : undefined;
    const added = origins?.filter((o) => !key.allowed_origins.includes(o)) ?? [];
    const removed = origins ? key.allowed_origins.filter((o) => !origins.includes(o)) : [];
    const originsChanged = added.length > 0 || removed.length > 0;
    if (name === undefined && !originsChanged) return { row: key, changed: false };
    const updated = await updateKeyDetails(trx, key.id, { name, allowedOrigins: originsChanged ? origins : undefined });
    if (!updated) throw conflict("This key was revoked meanwhile");
    await insertAudit(trx, actor, {
      tenantId,
      action: "api_key.updated",
      target: { type: "api_key", id: key.id },
      metadata: {
        prefix: key.prefix,
        ...(name !== undefined ? { name: { from: key.name, to: name } } : {}),
        ...(originsChanged ? { allowedOrigins: { added, removed } } : {}),
      },
    });
    return { row: updated, changed: true };
  });
  if (changed) await deps.keyVerifier.invalidate(row.hash);
  return summarize(row);
}

/**
 * Replaces a key with a fresh one of the same kind, mode, name and origins. The old key stops working at once, or
 * after `graceSeconds` so that deployments can switch over.
 */
export async function rollKey(
  deps: KeyDeps,
  actor: Actor,
  tenantId: string,
  id: string,
  graceSeconds: number,
): Promise<{ created: CreatedKey; old: KeySummary }> {
  const result = await deps.db.transaction().execute(async (trx) => {
    const old = await findKey(trx, tenantId, id);
    if (!old) throw notFound("API key");
    if (old.revoked_at || (old.expires_at && old.expires_at.getTime() <= Date.now())) {
      throw invalidInput("This key is already revoked or expired; create a new one instead");
    }
    const created = await insertNewKey(trx, actor, tenantId, {
      kind: old.kind,
      mode: old.mode,
      name: old.name,
      allowedOrigins: old.allowed_origins,
      expiresAt: old.expires_at,
    });
    const updated = graceSeconds > 0 ? await expireAt(trx, old.id, new Date(Date.now() + graceSeconds * 1000)) : await markRevoked(trx, old.id);
    await insertAudit(trx, actor, {
      tenantId,
      action: "api_key.rolled",
      target: { type: "api_key", id: old.id },
      metadata: { replacedBy: created.id, graceSeconds },
    });
    return { created, old: updated ?? old };
  });
  await deps.keyVerifier.invalidate(result.old.hash);
  return { created: result.created, old: summarize(result.old) };
}

/** Operator revocation by key id or by the full key, whichever tenant holds it. */
export async function revokeKeyByOperator(deps: KeyDeps, idOrKey: string): Promise<KeySummary & { tenantId: string }> {
  const by = parseKey(idOrKey) ? { hash: sha256Hex(idOrKey) } : { id: idOrKey };
  const key = await findKeyAnyTenant(deps.db, by);
  if (!key) throw notFound("API key");
  const summary = await revokeKey(deps, { type: "operator", id: null }, key.tenant_id, key.id);
  return { ...summary, tenantId: key.tenant_id };
}

function dedupe(values: string[]): string[] {
  return [...new Set(values.map((v) => v.toLowerCase()))];
}
