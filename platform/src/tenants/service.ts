import type { Kysely, Transaction } from "kysely";
import type { KeyMode } from "@bizbot/shared";
import { insertAudit, type Actor } from "../audit/repository.ts";
import type { DB, Tenant } from "../db/schema.ts";
import { notFound } from "../errors.ts";
import { newId } from "../lib/ids.ts";
import { insertNewKey, type CreatedKey } from "../keys/service.ts";
import { insertTenant, findTenant, renameTenant as renameTenantRow } from "./repository.ts";

export interface TenantView {
  id: string;
  name: string;
  createdAt: string;
}

export function viewTenant(t: Tenant): TenantView {
  return { id: t.id, name: t.name, createdAt: t.created_at.toISOString() };
}

export interface KeyPair {
  publishable: CreatedKey;
  secret: CreatedKey;
}

/**
 * Creates a tenant with a publishable + secret key pair per requested mode, inside the caller's transaction, so an
 * account and its tenant come into being together or not at all.
 */
export async function insertTenantWithKeys(
  trx: Transaction<DB>,
  actor: Actor,
  spec: { name: string; modes: readonly KeyMode[]; allowedOrigins?: string[] | undefined },
): Promise<{ tenant: Tenant; keys: Partial<Record<KeyMode, KeyPair>> }> {
  const tenant = await insertTenant(trx, { id: newId("tenant"), name: spec.name });
  await insertAudit(trx, actor, { tenantId: tenant.id, action: "tenant.created", target: { type: "tenant", id: tenant.id } });
  const keys: Partial<Record<KeyMode, KeyPair>> = {};
  for (const mode of spec.modes) {
    keys[mode] = {
      publishable: await insertNewKey(trx, actor, tenant.id, {
        kind: "publishable",
        mode,
        name: `Default ${mode} widget key`,
        allowedOrigins: spec.allowedOrigins,
      }),
      secret: await insertNewKey(trx, actor, tenant.id, { kind: "secret", mode, name: `Default ${mode} server key` }),
    };
  }
  return { tenant, keys };
}

export async function getTenant(db: Kysely<DB>, id: string): Promise<TenantView> {
  const tenant = await findTenant(db, id);
  if (!tenant) throw notFound("Tenant");
  return viewTenant(tenant);
}

export async function renameTenant(db: Kysely<DB>, actor: Actor, id: string, name: string): Promise<TenantView> {
  return db.transaction().execute(async (trx) => {
    const before = await findTenant(trx, id);
    const tenant = await renameTenantRow(trx, id, name);
    if (!before || !tenant) throw notFound("Tenant");
    await insertAudit(trx, actor, { tenantId: id, action: "tenant.renamed", target: { type: "tenant", id }, metadata: { from: before.name, to: name } });
    return viewTenant(tenant);
  });
}
