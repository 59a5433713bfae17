import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Stripe from "stripe";
import { z } from "zod";
import {
  bearer,
  rest,
  signUpAccount,
  startStripeServer,
  trpcMutation,
  trpcQuery,
  trpcSubscription,
  type CallResult,
  type StripeStandIn,
  type TestAccount,
} from "@bizbot/testing";
import { rowCounts, startTestApp } from "../../test/harness.ts";
import { grant, ledgerPage } from "../credits/service.ts";
import { flatProcedures } from "../http/rest.ts";
import { insertConversation } from "../chat/repository.ts";
import { encodeCursor } from "./routers/conversations/schemas.ts";
import { encodeAuditCursor } from "./routers/audit/schemas.ts";
import { addDocument } from "../knowledge/service.ts";
import { newId } from "../lib/ids.ts";
import type { App } from "../main.ts";
import type { Meta, Tier } from "./init.ts";
import { appRouter } from "./router.ts";
import { insertRun, type RunRow } from "../agents/repository.ts";
import { visitorIdentity } from "../trials/identity.ts";
import { invite } from "../team/service.ts";

let app: App;
let a: TestAccount;
let b: TestAccount;
let bDocument: string;
const bVisitor = `vis_${"b".repeat(26)}`;
let bConversation: string;
let bRun: RunRow;
const aKeyVisitor = () => visitorIdentity(app.deps.visitorSecret, "", "127.0.0.1", "");

let stripe: StripeStandIn;

beforeAll(async () => {
  // With billing on, so that its procedures run their real paths rather than answer "not configured".
  stripe = await startStripeServer();
  app = await startTestApp({ STRIPE_SECRET_KEY: stripe.secretKey, STRIPE_WEBHOOK_SECRET: stripe.webhookSecret, STRIPE_API_URL: stripe.url });
  a = await signUpAccount(app.url, { tenantName: "Tenant A", allowedOrigins: ["https://a.example.com"] });
  b = await signUpAccount(app.url, { tenantName: "Tenant B", allowedOrigins: ["https://b.example.com"] });
  bDocument = (
    await addDocument(app.deps, { type: "system", id: null }, b.tenant.id, {
      title: "B's secret recipe",
      content: "Only tenant B knows: saffron.",
      format: "text",
    })
  ).id;
  bConversation = (await insertConversation(app.deps.db, { id: newId("conversation"), tenantId: b.tenant.id, visitorId: bVisitor, userId: null })).id;
  // B's run, made by a widget visitor whose identity is the one A's calls below present: only the tenant tells them apart.
  bRun = (await insertRun(app.deps.db, {
    id: newId("run"),
    tenant_id: b.tenant.id,
    agent_id: "ticket-resolver",
    status: "succeeded",
    input: JSON.stringify({ ticket: "B's private ticket" }),
    output: JSON.stringify({ reply: "B's private answer" }),
    source: "widget",
    actor_type: "visitor",
    actor_id: null,
    visitor_hash: aKeyVisitor().hash,
    billing: "trial",
    price: 3,
  }))!;
  // Both tenants have money history, so ledgers and cursors have rows to leak if scoping failed.
  for (const [account, n] of [
    [a, 3],
    [b, 3],
  ] as const) {
    for (let i = 0; i < n; i++)
      await grant(app.deps, { tenantId: account.tenant.id, idempotencyKey: `seed-${i}`, actor: { type: "system", id: null } }, 10 + i, "seed");
  }
});
afterAll(async () => {
  await app?.close();
  await stripe?.close();
});

const procedures = Object.entries(flatProcedures(appRouter)).map(([path, p]) => ({
  path,
  type: p._def.type as "query" | "mutation" | "subscription",
  tier: (p._def.meta as Meta).tier,
  input: (p._def as unknown as { inputs: z.ZodType[] }).inputs[0],
}));

/** Credentials that pass each tier for `account`, so that what is tested is the input or the tenant, not the auth. */
function credentials(tier: Tier, account: TestAccount): Record<string, string> {
  switch (tier) {
    case "public":
      return {};
    case "visitor":
      return { "x-bizbot-key": account.keys.live.publishable.key, origin: account === a ? "https://a.example.com" : "https://b.example.com" };
    case "tenant":
      return bearer(account.keys.live.secret.key);
    default:
      return bearer(account.token);
  }
}

function call(path: string, type: "query" | "mutation" | "subscription", options: Parameters<typeof trpcQuery>[2]): Promise<CallResult> {
  if (type === "subscription") return trpcSubscription(app.url, path, options);
  return type === "query" ? trpcQuery(app.url, path, options) : trpcMutation(app.url, path, options);
}

/**
 * Properties that point at a stored row (an id, a cursor): each such procedure needs a cross-tenant case below.
 * Catalogue ids (enums such as an agent id) name no tenant's data and are left out.
 */
function idFields(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, { enum?: unknown; pattern?: string }> };
  // A platform user's id (usr_…, the team's procedures) names a membership: it needs a case like any other id.
  const platformUserId = (property: { pattern?: string }) => property.pattern?.startsWith("^usr_") === true;
  return (
    Object.entries(json.properties ?? {})
      // A visitor id names a browser and the chat's user id is the tenant's own (proven by userHash, chat.test.ts):
      // neither opens a stored row without a conversation id, which is tested here.
      .filter(
        ([name, property]) =>
          (name === "id" || name === "cursor" || /Id$/.test(name)) && name !== "visitorId" && (name !== "userId" || platformUserId(property)) && !property.enum,
      )
      .map(([name]) => name)
  );
}

describe("tenant isolation", () => {
  // Every procedure that takes an id, called by tenant A with tenant B's id. The map is checked against the router
  // below, so a new procedure with an id fails this suite until it has a case here.
  // A row of tenant B's ledger, to page from as tenant A.
  const bEntry = async () => (await ledgerPage(app.deps.db, b.tenant.id, null, 1)).entries[0]!.id;
  const pagesOnlyOwnEntries = async (res: CallResult) => {
    expect(res.status).toBe(200);
    const ids = (res.data as { entries: Array<{ id: string }> }).entries.map((e) => e.id);
    const own = (await ledgerPage(app.deps.db, a.tenant.id, null, 200)).entries.map((e) => e.id);
    expect(ids.every((id) => own.includes(id))).toBe(true);
  };
  const notFound = async (res: CallResult) => expect(res.status).toBe(404);
  const crossTenantCases: Record<string, { input: () => Promise<Record<string, unknown>>; expect: (res: CallResult) => Promise<void> }> = {
    "keys.revoke": { input: async () => ({ id: b.keys.live.secret.id }), expect: notFound },
    // B's Checkout session, as Stripe has it: A learns nothing of it, not even whether it was paid.
    "billing.checkoutResult": {
      input: async () => {
        const session = await checkoutSession(b.tenant.id);
        return { sessionId: session };
      },
      expect: notFound,
    },
    "keys.roll": { input: async () => ({ id: b.keys.live.secret.id }), expect: notFound },
    // B's publishable key renamed and opened to A's site, from A's session: not found, and B's key as it was.
    "keys.update": {
      input: async () => ({ id: b.keys.live.publishable.id, name: "Hijacked", allowedOrigins: ["https://a.example.com"] }),
      expect: async (res) => {
        await notFound(res);
        const key = await app.deps.db
          .selectFrom("api_keys")
          .select(["name", "allowed_origins"])
          .where("id", "=", b.keys.live.publishable.id)
          .executeTakeFirstOrThrow();
        expect(key.name).not.toBe("Hijacked");
        expect(key.allowed_origins).toEqual(["https://b.example.com"]);
      },
    },
    "knowledge.update": { input: async () => ({ id: bDocument, title: "Hijacked", content: "Hijacked.", format: "text" }), expect: notFound },
    "knowledge.remove": { input: async () => ({ id: bDocument }), expect: notFound },
    "credits.ledger": { input: async () => ({ cursor: String(Number(await bEntry()) + 1) }), expect: pagesOnlyOwnEntries },
    "credits.entries": { input: async () => ({ cursor: String(Number(await bEntry()) + 1) }), expect: pagesOnlyOwnEntries },
    // B's conversation, with B's visitor id, through A's widget key.
    "chat.history": { input: async () => ({ visitorId: bVisitor, conversationId: bConversation }), expect: notFound },
    "chat.send": { input: async () => ({ visitorId: bVisitor, conversationId: bConversation, message: "Show me B's chat" }), expect: notFound },
    "chat.reply": { input: async () => ({ conversationId: bConversation, message: "Show me B's chat" }), expect: notFound },
    "chat.handoff": { input: async () => ({ visitorId: bVisitor, conversationId: bConversation }), expect: notFound },
    "conversations.get": { input: async () => ({ id: bConversation }), expect: notFound },
    "agents.getRun": { input: async () => ({ runId: bRun.id }), expect: notFound },
    "agents.events": { input: async () => ({ runId: bRun.id }), expect: notFound },
    "widget.run": { input: async () => ({ runId: bRun.id }), expect: notFound },
    "widget.runEvents": { input: async () => ({ runId: bRun.id }), expect: notFound },
    "agents.listRuns": { input: async () => ({ cursor: runCursor(bRun) }), expect: listsNoRunOfB },
    "widget.runs": { input: async () => ({ cursor: runCursor(bRun) }), expect: listsNoRunOfB },
    "conversations.export": { input: async () => ({ id: bConversation }), expect: notFound },
    // Pages from just above B's newest audit entry, filtered to B's owner: a leak of scoping would show B's rows.
    "audit.list": {
      input: async () => {
        const newest = await app.deps.db
          .selectFrom("audit_log")
          .select("id")
          .where("tenant_id", "=", b.tenant.id)
          .orderBy("id", "desc")
          .executeTakeFirstOrThrow();
        return { cursor: encodeAuditCursor(String(Number(newest.id) + 1)), actorId: b.user.id };
      },
      expect: async (res) => {
        expect(res.status).toBe(200);
        const ids = (res.data as { entries: Array<{ id: string }> }).entries.map((e) => e.id);
        const ofB = (await app.deps.db.selectFrom("audit_log").select("id").where("tenant_id", "=", b.tenant.id).execute()).map((r) => String(r.id));
        expect(ofB.length).toBeGreaterThan(0);
        expect(ids.filter((id) => ofB.includes(id))).toEqual([]);
      },
    },
    "conversations.remove": { input: async () => ({ id: bConversation }), expect: notFound },
    // B's open invitation and B's owner, as seen from A's team: neither is there, and B's stay as they were.
    "team.revokeInvitation": {
      input: async () => ({ id: await bInvitation() }),
      expect: async (res) => {
        await notFound(res);
        const row = await app.deps.db
          .selectFrom("invitations")
          .select("revoked_at")
          .where("id", "=", await bInvitation())
          .executeTakeFirstOrThrow();
        expect(row.revoked_at).toBeNull();
      },
    },
    "team.changeRole": {
      input: async () => ({ userId: b.user.id, role: "member" }),
      expect: async (res) => {
        await notFound(res);
        expect(await bOwnerRole()).toBe("owner");
      },
    },
    "team.remove": {
      input: async () => ({ userId: b.user.id }),
      expect: async (res) => {
        await notFound(res);
        expect(await bOwnerRole()).toBe("owner");
      },
    },
    "conversations.list": {
      input: async () => {
        const row = await app.deps.db.selectFrom("conversations").select(["id", "updated_at"]).where("id", "=", bConversation).executeTakeFirstOrThrow();
        return { cursor: encodeCursor(row) };
      },
      expect: async (res) => {
        expect(res.status).toBe(200);
        const ids = (res.data as { conversations: Array<{ id: string }> }).conversations.map((c) => c.id);
        expect(ids).not.toContain(bConversation);
      },
    },
  };

  let bInvitationId: string | undefined;
  const bInvitation = async () =>
    (bInvitationId ??= (await invite(app.deps, { type: "user", id: b.user.id }, b.tenant.id, { email: "b-invitee@example.test", role: "member" })).id);
  const bOwnerRole = async () =>
    (await app.deps.db.selectFrom("memberships").select("role").where("tenant_id", "=", b.tenant.id).where("user_id", "=", b.user.id).executeTakeFirst())?.role;

  // Pages from B's newest run as A: A's runs only (there are none), never B's.
  const runCursor = (run: RunRow) => Buffer.from(JSON.stringify([new Date(run.created_at.getTime() + 1000).toISOString(), "run_zzz"])).toString("base64url");
  async function listsNoRunOfB(res: CallResult) {
    expect(res.status).toBe(200);
    expect((res.data as { runs: Array<{ id: string }> }).runs).toEqual([]);
  }

  it("covers every procedure that takes an id", () => {
    const withIds = procedures
      .filter((p) => idFields(p.input).length > 0)
      .map((p) => p.path)
      .sort();
    expect(withIds).toEqual(Object.keys(crossTenantCases).sort());
  });

  for (const [path, testCase] of Object.entries(crossTenantCases)) {
    it(`${path}: tenant A cannot reach tenant B's row`, async () => {
      const procedure = procedures.find((p) => p.path === path)!;
      const input = await testCase.input();
      const before = await rowCounts(app.deps.db);
      const res = await call(path, procedure.type, { input, headers: credentials(procedure.tier, a) });
      await testCase.expect(res);
      expect(await rowCounts(app.deps.db)).toEqual(before);
      // B's key is untouched and still works.
      expect((await rest(app.url, "GET", "/v1/tenant", { headers: bearer(b.keys.live.secret.key) })).status).toBe(200);
      expect(
        (await trpcQuery<Array<{ id: string; revokedAt: string | null }>>(app.url, "keys.list", { headers: bearer(b.token) })).data!.every((k) => !k.revokedAt),
      ).toBe(true);
    });
  }

  it("a session cannot choose a tenant it is not a member of, on any member procedure", async () => {
    const memberTiers: Tier[] = ["member", "admin", "owner", "tenant-or-member", "tenant-or-admin"];
    const memberProcedures = procedures.filter((p) => memberTiers.includes(p.tier));
    expect(memberProcedures.length).toBeGreaterThan(0);
    for (const p of memberProcedures) {
      const res = await call(p.path, p.type, { input: validInputs[p.path], headers: { ...bearer(a.token), "x-bizbot-tenant": b.tenant.id } });
      expect(res.status, p.path).toBe(403);
    }
    expect((await trpcQuery<{ name: string }>(app.url, "tenant.current", { headers: bearer(b.token) })).data!.name).toBe("Tenant B");
  });

  it("keys list and the tenant answer only the caller's own tenant", async () => {
    const listA = await trpcQuery<Array<{ id: string }>>(app.url, "keys.list", { headers: bearer(a.token) });
    const bIds = [b.keys.live.secret.id, b.keys.live.publishable.id, b.keys.test.secret.id, b.keys.test.publishable.id];
    expect(listA.data!.some((k) => bIds.includes(k.id))).toBe(false);
    expect((await rest<{ id: string }>(app.url, "GET", "/v1/tenant", { headers: bearer(a.keys.live.secret.key) })).body.id).toBe(a.tenant.id);
    expect((await trpcQuery<{ tenant: { name: string } }>(app.url, "widget.config", { headers: credentials("visitor", a) })).data!.tenant.name).toBe(
      "Tenant A",
    );
    // A same-origin GET carries no Origin: it is the platform's own page, allowed only if the key allows that origin.
    const own = await signUpAccount(app.url, { allowedOrigins: [new URL(app.deps.env.PUBLIC_URL).origin] });
    const sameOrigin = { "x-bizbot-key": own.keys.live.publishable.key, "sec-fetch-site": "same-origin" };
    expect((await trpcQuery(app.url, "widget.config", { headers: sameOrigin })).status).toBe(200);
    expect((await trpcQuery(app.url, "widget.config", { headers: { ...sameOrigin, "sec-fetch-site": "cross-site" } })).status).toBe(403);
    // A key that does not allow the platform's own origin is refused there too.
    expect(
      (await trpcQuery(app.url, "widget.config", { headers: { "x-bizbot-key": a.keys.live.publishable.key, "sec-fetch-site": "same-origin" } })).status,
    ).toBe(403);
    // A's publishable key from B's site is refused: keys do not carry across tenants' origins.
    expect((await trpcQuery(app.url, "widget.config", { headers: { ...credentials("visitor", a), origin: "https://b.example.com" } })).status).toBe(403);
  });
});

// A valid input per procedure, for calls whose point is elsewhere (the tenant, the auth).
const validInputs: Record<string, unknown> = {
  "credits.ledger": {},
  "credits.entries": {},
  "knowledge.create": { title: "Doc", content: "Some content.", format: "text" },
  "knowledge.update": { id: `doc_${"a".repeat(26)}`, title: "Doc", content: "Some content.", format: "text" },
  "knowledge.remove": { id: `doc_${"a".repeat(26)}` },
  "knowledge.search": { query: "hello" },
  "knowledge.importUrl": { url: "https://example.com/" },
  "settings.update": { rateLimits: { visitorPerMinute: 100 } },
  "trials.status": { agentId: "ticket-resolver" },
  "keys.create": { kind: "secret", mode: "test" },
  "keys.revoke": { id: `key_${"a".repeat(26)}` },
  "keys.roll": { id: `key_${"a".repeat(26)}` },
  "keys.update": { id: `key_${"a".repeat(26)}`, name: "Renamed" },
  "usage.summary": { days: 7 },
  "tenant.rename": { name: "Renamed" },
  // Not the tenant's name: were a check above it ever to let the call through, it would still refuse.
  "tenant.delete": { confirmName: "Not the tenant's name" },
  "audit.list": {},
  "auth.requestPasswordReset": { email: "nobody@example.test" },
  "auth.resetPassword": { token: "a".repeat(32), password: "correct horse battery staple 42" },
  "chat.start": {},
  "chat.send": { visitorId: `vis_${"a".repeat(26)}`, message: "Hello" },
  "chat.history": { visitorId: `vis_${"a".repeat(26)}`, conversationId: `conv_${"a".repeat(26)}` },
  "chat.reply": { message: "Hello" },
  "chat.handoff": { visitorId: `vis_${"a".repeat(26)}`, conversationId: `conv_${"a".repeat(26)}` },
  "conversations.list": {},
  "conversations.get": { id: `conv_${"a".repeat(26)}` },
  "conversations.export": { id: `conv_${"a".repeat(26)}` },
  "conversations.remove": { id: `conv_${"a".repeat(26)}` },
  "agents.run": { agentId: "ticket-resolver", input: { ticket: "Hello" } },
  "agents.start": { agentId: "ticket-resolver", input: { ticket: "Hello" } },
  "agents.getRun": { runId: `run_${"a".repeat(26)}` },
  "agents.listRuns": {},
  "agents.events": { runId: `run_${"a".repeat(26)}` },
  "widget.runAgent": { agentId: "ticket-resolver", input: { ticket: "Hello" } },
  "widget.runEvents": { runId: `run_${"a".repeat(26)}` },
  "widget.runs": {},
  "widget.run": { runId: `run_${"a".repeat(26)}` },
  "team.invite": { email: "someone@example.com", role: "member" },
  "team.revokeInvitation": { id: `inv_${"a".repeat(26)}` },
  "team.changeRole": { userId: `usr_${"a".repeat(26)}`, role: "member" },
  "team.remove": { userId: `usr_${"a".repeat(26)}` },
  "team.invitation": { token: "a".repeat(32) },
  "team.accept": { token: "a".repeat(32) },
  "billing.checkout": { product: "starter" },
  "billing.checkoutResult": { sessionId: "cs_test_nothing" },
  "billing.autoTopUp": { enabled: false, threshold: 100, product: "starter" },
};

/** A Checkout session of `tenantId`'s made in the stand-in, as billing.checkout would. */
async function checkoutSession(tenantId: string): Promise<string> {
  const api = new Stripe(stripe.secretKey, { host: "127.0.0.1", port: new URL(stripe.url).port, protocol: "http" });
  const price = await api.prices.create({ currency: "usd", unit_amount: 2000, product_data: { name: "Starter" } });
  const session = await api.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price: price.id, quantity: 1 }],
    client_reference_id: tenantId,
    metadata: { tenant_id: tenantId, product: "starter" },
    success_url: "https://portal.example.test/billing",
  });
  return session.id;
}

/** A value of the wrong type for a JSON-schema property. */
function wrongValue(schema: { type?: string | string[] }): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  return type === "string" ? 12345 : type === "array" ? "not-an-array" : type === "boolean" ? "yes" : "not-a-number";
}

describe("malformed input", () => {
  const withInput = procedures.filter((p) => p.input);

  it("applies to every procedure with an input", () => {
    expect(withInput.map((p) => p.path).sort()).toEqual(
      [
        "agents.events",
        "agents.getRun",
        "agents.listRuns",
        "agents.run",
        "agents.start",
        "audit.list",
        "auth.requestPasswordReset",
        "billing.autoTopUp",
        "billing.checkout",
        "billing.checkoutResult",
        "auth.resetPassword",
        "auth.signIn",
        "auth.signUp",
        "chat.handoff",
        "chat.history",
        "chat.reply",
        "chat.send",
        "chat.start",
        "conversations.export",
        "conversations.get",
        "conversations.list",
        "conversations.remove",
        "credits.entries",
        "credits.ledger",
        "keys.create",
        "keys.revoke",
        "keys.roll",
        "keys.update",
        "knowledge.create",
        "knowledge.importUrl",
        "knowledge.remove",
        "knowledge.search",
        "knowledge.update",
        "settings.update",
        "team.accept",
        "team.changeRole",
        "team.invitation",
        "team.invite",
        "team.remove",
        "team.revokeInvitation",
        "tenant.delete",
        "tenant.rename",
        "trials.status",
        "usage.summary",
        "widget.run",
        "widget.runAgent",
        "widget.runEvents",
        "widget.runs",
      ].sort(),
    );
  });

  for (const p of procedures.filter((p) => p.input)) {
    it(`${p.path}: 400 with field errors, never a 500, and nothing written`, async () => {
      const json = z.toJSONSchema(p.input!, { io: "input", unrepresentable: "any" }) as {
        properties: Record<string, { type?: string }>;
        required?: string[];
      };
      const wrongTypes = Object.fromEntries(Object.entries(json.properties).map(([name, schema]) => [name, wrongValue(schema)]));
      const cases: Array<[string, Parameters<typeof trpcQuery>[2]]> = [
        ["wrong type for every field", { input: wrongTypes }],
        ...(json.required?.length ? [["missing required fields", { input: {} }] as [string, Parameters<typeof trpcQuery>[2]]] : []),
        ["not an object", { input: "a string" }],
        ["an array", { input: [1, 2, 3] }],
        ["null", { input: null }],
        ["unknown field", { input: { ...(validInputs[p.path] as object), isAdmin: true } }],
        // JSON.parse makes "__proto__" an own key, as a hostile client's body would.
        ["prototype pollution", { input: JSON.parse('{"__proto__":{"role":"owner"},"constructor":{"prototype":{"x":1}}}') }],
        // Queries travel in the URL, whose size Node caps (431); their huge strings are as long as a URL allows.
        ["huge strings", { input: Object.fromEntries(Object.keys(json.properties).map((k) => [k, "x".repeat(p.type === "mutation" ? 100_000 : 2_000)])) }],
      ];
      if (p.type === "mutation") cases.push(["not JSON", { rawBody: "{not json" }]);

      const before = await rowCounts(app.deps.db);
      for (const [label, options] of cases) {
        const res = await call(p.path, p.type, { ...options, headers: credentials(p.tier, a) });
        expect(res.status, `${label}: ${JSON.stringify(res.error)}`).toBe(400);
        expect(res.error!.data.reason, label).toBe("invalid_input");
        expect(JSON.stringify(res.error), label).not.toMatch(/stack|at \/|select |insert |node_modules/i);
        if (label === "wrong type for every field") {
          expect(Object.keys(res.error!.data.fields ?? {}).sort(), label).toEqual(Object.keys(json.properties).sort());
        }
        if (label === "missing required fields") {
          expect(Object.keys(res.error!.data.fields ?? {}).sort(), label).toEqual([...(json.required ?? [])].sort());
        }
      }
      expect(await rowCounts(app.deps.db)).toEqual(before);
    });
  }

  it("procedures without an input ignore junk rather than fail", async () => {
    for (const p of procedures.filter((p) => !p.input)) {
      const res = await call(p.path, p.type, { input: { junk: "x".repeat(1000) }, headers: credentials(p.tier, a) });
      expect(res.status, p.path).toBeLessThan(500);
    }
  });

  it("answers malformed REST queries with 400 and field errors", async () => {
    const res = await rest<{ error: { code: string; fields: Record<string, string[]> } }>(app.url, "GET", "/v1/credits/ledger?limit=lots&cursor=x%27%3B--", {
      headers: bearer(a.keys.live.secret.key),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_input");
    expect(Object.keys(res.body.error.fields).sort()).toEqual(["cursor", "limit"]);
    const page = await rest<{ entries: unknown[]; nextCursor: string | null }>(app.url, "GET", "/v1/credits/ledger?limit=2", {
      headers: bearer(a.keys.live.secret.key),
    });
    expect(page.status).toBe(200);
    expect(page.body.entries).toHaveLength(2);
    expect(page.body.nextCursor).not.toBeNull();
  });

  it("refuses an oversized body with 413, and REST junk with clear errors", async () => {
    const big = await trpcMutation(app.url, "auth.signIn", { rawBody: JSON.stringify({ email: "x".repeat(16 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
    const wrongMethod = await rest<{ error: { code: string } }>(app.url, "POST", "/v1/tenant", { body: {}, headers: bearer(a.keys.live.secret.key) });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error.code).toBe("method_not_allowed");
    const missing = await rest<{ error: { code: string } }>(app.url, "GET", "/v1/nothing-here");
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: "not_found", message: expect.any(String) } });
  });
});
