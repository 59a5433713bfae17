import { sql, type Kysely } from "kysely";
import type { Logger } from "pino";
import { insertAudit, type Actor } from "../audit/repository.ts";
import type { DB } from "../db/schema.ts";
import { invalidInput, notFound } from "../errors.ts";
import type { KeyVerifier } from "../keys/verifier.ts";
import type { SemanticIndex } from "../knowledge/semantic.ts";

export interface TenantDeletionDeps {
  db: Kysely<DB>;
  keyVerifier: KeyVerifier;
  semantic: SemanticIndex | null;
  log: Logger;
}

/** Vector deletions in flight at once, one per document. */
const VECTOR_CONCURRENCY = 8;

/**
 * Deletes a tenant and everything it owns, in one transaction: its keys, knowledge, conversations, runs, money
 * history, settings and memberships. Its users stay (they may belong to other tenants). Its keys stop working at once
 * on every instance, and its vectors are deleted if a vector index is configured. The audit entry outlives the
 * tenant: it has no tenant, and names the one deleted.
 */
export async function deleteTenant(
  deps: TenantDeletionDeps,
  actor: Actor,
  tenantId: string,
  confirmName: string,
): Promise<{ deleted: true; id: string; name: string }> {
  const removed = await deps.db.transaction().execute(async (trx) => {
    // Locked, so that a rename cannot slip between the check of the name and the deletion.
    const tenant = await trx.selectFrom("tenants").select(["id", "name"]).where("id", "=", tenantId).forUpdate().executeTakeFirst();
    if (!tenant) throw notFound("Tenant");
    if (confirmName !== tenant.name) {
      throw invalidInput("To delete the tenant, type its name exactly as it is", { confirmName: [`must be the tenant's name, exactly: ${tenant.name}`] });
    }
    const keys = await trx.selectFrom("api_keys").select("hash").where("tenant_id", "=", tenantId).execute();
    const documents = deps.semantic ? await trx.selectFrom("kb_documents").select("id").where("tenant_id", "=", tenantId).execute() : [];
    // The ledger is append-only; its trigger lets this transaction, and only it, delete this tenant's entries.
    await sql`select set_config('bizbot.deleting_tenant', ${tenantId}, true)`.execute(trx);
    // The one table with a tenant_id and no foreign key to delete it with. The rest goes with the tenant row: straight
    // by `on delete cascade` (every table with a tenant_id references tenants), or through a parent that does
    // (kb_chunks and kb_postings through kb_documents, messages through conversations).
    await trx.deleteFrom("kb_term_stats").where("tenant_id", "=", tenantId).execute();
    await trx.deleteFrom("tenants").where("id", "=", tenantId).execute();
    await insertAudit(trx, actor, { tenantId: null, action: "tenant.deleted", target: { type: "tenant", id: tenantId }, metadata: { name: tenant.name } });
    return { name: tenant.name, keyHashes: keys.map((k) => k.hash), documentIds: documents.map((d) => d.id) };
  });
  // The rows are gone; instances that cached a key learn it now rather than when their caches expire.
  await Promise.all(removed.keyHashes.map((hash) => deps.keyVerifier.invalidate(hash)));
  if (deps.semantic) await removeVectors(deps.semantic, tenantId, removed.documentIds);
  deps.log.info({ tenantId, documents: removed.documentIds.length }, "tenant deleted");
  return { deleted: true, id: tenantId, name: removed.name };
}

/** Best effort, as for one document: vectors left behind are never shown, since every hit is checked against Postgres. */
async function removeVectors(semantic: SemanticIndex, tenantId: string, documentIds: string[]): Promise<void> {
  const queue = [...documentIds];
  const worker = async () => {
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) await semantic.removeDocument(tenantId, id);
  };
  await Promise.all(Array.from({ length: Math.min(VECTOR_CONCURRENCY, queue.length) }, worker));
}
