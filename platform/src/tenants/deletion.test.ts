import {
  bearer,
  rest,
  signUpAccount,
  startEmbeddingsStandIn,
  startQdrantStandIn,
  trpcMutation,
  trpcQuery,
  type EmbeddingsStandIn,
  type QdrantStandIn,
  type TestAccount,
} from "@bizbot/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { services, startTestApp } from "../../test/harness.ts";
import { insertRun } from "../agents/repository.ts";
import { insertConversation, insertVisitorMessage } from "../chat/repository.ts";
import { creditCall, grant, hold } from "../credits/service.ts";
import { createQdrantIndex } from "../knowledge/vectors.ts";
import { newId } from "../lib/ids.ts";
import type { App } from "../main.ts";
import { enqueueNotification } from "../notifications/outbox.ts";

let app: App;
/** A second instance, with its own key cache, as behind a load balancer (real services only: the embedded bus is per process). */
let other: App | undefined;
let embeddings: EmbeddingsStandIn;
let qdrant: QdrantStandIn;
const model = `deletion-model-${Date.now()}`;

beforeAll(async () => {
  embeddings = await startEmbeddingsStandIn();
  qdrant = await startQdrantStandIn();
  const env = { EMBEDDINGS_URL: embeddings.url, QDRANT_URL: qdrant.url, EMBEDDINGS_MODEL: model };
  app = await startTestApp(env);
  if (services.postgres && services.redis) other = await startTestApp(env);
});
afterAll(async () => {
  // The kept tenants' test webhooks would be tried by a later test file's server (the database is shared).
  await app?.deps.db.deleteFrom("notification_outbox").where("kind", "=", "test.deletion").execute();
  await other?.close();
  await app?.close();
  await embeddings?.close();
  await qdrant?.close();
});

/** Every table of the public schema with a tenant_id column: a table added later is covered without a change here. */
async function tenantTables(): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
    order by c.table_name`.execute(app.deps.db);
  return result.rows.map((r) => r.table_name);
}

/** The tenant's rows per table, for every table with a tenant_id (plus its row in tenants). */
async function rowsOf(tenantId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await tenantTables()) {
    const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where tenant_id = ${tenantId}`.execute(app.deps.db);
    counts[table] = result.rows[0]!.n;
  }
  const tenant = await app.deps.db.selectFrom("tenants").select(sql<number>`count(*)::int`.as("n")).where("id", "=", tenantId).executeTakeFirstOrThrow();
  counts.tenants = tenant.n;
  return counts;
}

async function waitUntilReady(documentId: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const doc = await app.deps.db.selectFrom("kb_documents").select("status").where("id", "=", documentId).executeTakeFirstOrThrow();
    if (doc.status === "ready") return;
    if (Date.now() > deadline) throw new Error(`document ${documentId} is still ${doc.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Gives the tenant rows in every table a tenant fills: knowledge with vectors, money, chat, runs, trials, settings, mail. */
async function populate(account: TestAccount) {
  const tenantId = account.tenant.id;
  const system = { type: "system" as const, id: null };
  const document = await rest<{ id: string }>(app.url, "POST", "/v1/knowledge/documents", {
    headers: bearer(account.keys.live.secret.key),
    body: { title: "Returns", content: `Returns of ${account.tenant.name} are accepted within thirty days.`, format: "text" },
  });
  await waitUntilReady(document.body.id);
  await grant(app.deps, { tenantId, idempotencyKey: "seed", actor: system }, 100, "seed");
  await hold(app.deps, creditCall(tenantId, "test", "one", "hold"), 10, null);
  const conversation = await insertConversation(app.deps.db, { id: newId("conversation"), tenantId, visitorId: newId("visitor"), userId: null });
  await app.deps.db.transaction().execute(async (trx) => {
    await insertVisitorMessage(trx, { id: newId("message"), tenantId, conversationId: conversation.id, content: "Hello", context: [] });
    await enqueueNotification(trx, { tenantId, kind: "test.deletion", channel: "webhook", target: "https://hooks.example.test/", payload: {} });
  });
  await insertRun(app.deps.db, {
    id: newId("run"),
    tenant_id: tenantId,
    agent_id: "ticket-resolver",
    status: "succeeded",
    input: JSON.stringify({ ticket: "Where is my parcel?" }),
    source: "api",
    actor_type: "api_key",
    actor_id: null,
    billing: "credits",
    price: 3,
  });
  await app.deps.db.insertInto("trial_usage").values({ tenant_id: tenantId, agent_id: "ticket-resolver", visitor_hash: "v1", used: 1 }).execute();
  await app.deps.db.insertInto("trial_network_usage").values({ tenant_id: tenantId, network_hash: "n1", day: "2026-12-07", used: 1 }).execute();
  expect((await trpcMutation(app.url, "settings.update", { input: { retention: { agentInputDays: 7 } }, headers: bearer(account.token) })).status).toBe(200);
  expect((await trpcQuery(app.url, "settings.chatSecrets", { headers: bearer(account.token) })).status).toBe(200);
}

/** The tenant's points in the vector index, as a search of the tenant finds them. */
const vectorsOf = (tenantId: string) => createQdrantIndex({ url: qdrant.url, model }).search(tenantId, new Array(256).fill(1 / 16), 1000);

const deleteAs = (account: TestAccount, confirmName: string, tenantId = account.tenant.id) =>
  trpcMutation<{ deleted: true; id: string; name: string }>(app.url, "tenant.delete", {
    input: { confirmName },
    headers: { ...bearer(account.token), "x-bizbot-tenant": tenantId },
  });

describe("tenant.delete", () => {
  it("deletes everything of the tenant at once, and nothing of another, keeping its people", async () => {
    const doomed = await signUpAccount(app.url, { tenantName: "Doomed Shop" });
    const kept = await signUpAccount(app.url, { tenantName: "Kept Shop" });
    await populate(doomed);
    await populate(kept);
    // The doomed tenant's owner is also a member of the kept tenant: they stay, and so does that membership.
    await app.deps.db.insertInto("memberships").values({ tenant_id: kept.tenant.id, user_id: doomed.user.id, role: "member" }).execute();

    const before = await rowsOf(doomed.tenant.id);
    const filled = Object.keys(before).filter((table) => before[table]! > 0);
    expect(filled).toEqual(
      expect.arrayContaining([
        "agent_runs",
        "api_keys",
        "audit_log",
        "conversations",
        "credit_accounts",
        "credit_holds",
        "credit_ledger",
        "kb_chunks",
        "kb_documents",
        "kb_postings",
        "kb_term_stats",
        "kb_tenant_stats",
        "memberships",
        "messages",
        "notification_outbox",
        "tenant_chat_secrets",
        "tenant_settings",
        "tenants",
        "trial_network_usage",
        "trial_usage",
      ]),
    );
    const keptBefore = await rowsOf(kept.tenant.id);
    expect((await vectorsOf(doomed.tenant.id)).length).toBeGreaterThan(0);
    const keptVectors = await vectorsOf(kept.tenant.id);
    expect(keptVectors.length).toBeGreaterThan(0);
    // Both instances have the doomed tenant's keys in their caches.
    const secret = doomed.keys.live.secret.key;
    for (const instance of [app, other]) if (instance) expect((await rest(instance.url, "GET", "/v1/tenant", { headers: bearer(secret) })).status).toBe(200);

    const res = await deleteAs(doomed, "Doomed Shop");
    expect(res.status, JSON.stringify(res.error)).toBe(200);
    expect(res.data).toEqual({ deleted: true, id: doomed.tenant.id, name: "Doomed Shop" });

    const after = await rowsOf(doomed.tenant.id);
    expect(Object.entries(after).filter(([, n]) => n > 0)).toEqual([]);
    expect(await rowsOf(kept.tenant.id)).toEqual(keptBefore);
    expect(await vectorsOf(doomed.tenant.id)).toEqual([]);
    expect(await vectorsOf(kept.tenant.id)).toEqual(keptVectors);

    // Its keys are refused at once, on this instance and the other.
    for (const instance of [app, other]) if (instance) expect((await rest(instance.url, "GET", "/v1/tenant", { headers: bearer(secret) })).status).toBe(401);
    const widget = await trpcQuery(app.url, "widget.config", {
      headers: { "x-bizbot-key": doomed.keys.live.publishable.key, origin: "https://shop.example.com" },
    });
    expect(widget.status).toBe(401);
    expect((await rest(app.url, "GET", "/v1/tenant", { headers: bearer(kept.keys.live.secret.key) })).status).toBe(200);

    // The person stays, signed in, with the other tenant.
    const me = await trpcQuery<{ user: { id: string }; memberships: Array<{ tenantId: string }> }>(app.url, "auth.me", { headers: bearer(doomed.token) });
    expect(me.status).toBe(200);
    expect(me.data!.memberships.map((m) => m.tenantId)).toEqual([kept.tenant.id]);

    // The record of the deletion outlives the tenant.
    const audit = await app.deps.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "tenant.deleted")
      .where("target_id", "=", doomed.tenant.id)
      .execute();
    expect(audit).toMatchObject([{ tenant_id: null, actor_type: "user", actor_id: doomed.user.id, target_type: "tenant", metadata: { name: "Doomed Shop" } }]);
  });

  it("refuses a name that is not exactly the tenant's, and deletes nothing", async () => {
    const account = await signUpAccount(app.url, { tenantName: "Exact Name Ltd" });
    const before = await rowsOf(account.tenant.id);
    for (const confirmName of ["exact name ltd", "Exact Name Ltd ", " Exact Name Ltd", "Exact Name", "Kept Shop"]) {
      const res = await deleteAs(account, confirmName);
      expect(res.status, confirmName).toBe(400);
      expect(res.error!.data.reason).toBe("invalid_input");
      expect(Object.keys(res.error!.data.fields ?? {})).toEqual(["confirmName"]);
    }
    expect(await rowsOf(account.tenant.id)).toEqual(before);
  });

  it("is for owners only", async () => {
    const owner = await signUpAccount(app.url, { tenantName: "Owned Shop" });
    const admin = await signUpAccount(app.url);
    await app.deps.db.insertInto("memberships").values({ tenant_id: owner.tenant.id, user_id: admin.user.id, role: "admin" }).execute();
    const before = await rowsOf(owner.tenant.id);
    expect((await deleteAs(admin, "Owned Shop", owner.tenant.id)).status).toBe(403);
    // Nor through a tenant the caller owns: the tenant comes from the session and the header, never the input.
    expect((await deleteAs(admin, "Owned Shop")).status).toBe(400);
    expect(await rowsOf(owner.tenant.id)).toEqual(before);
  });
});
