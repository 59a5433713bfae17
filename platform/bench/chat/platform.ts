/**
 * The platform side of bench/chat, in its own process: it starts the app against the scripted model server whose
 * URL it is given, sets up the benchmark's tenants and documents, and reports its URL and keys to the parent. Apart
 * from the parent, so that the platform's work (the embedded database runs on its event loop) never delays the
 * parent's clock readings.
 */
import { provisionTenant } from "../../src/auth/service.ts";
import { grant } from "../../src/credits/service.ts";
import { addDocument } from "../../src/knowledge/service.ts";
import { newId } from "../../src/lib/ids.ts";
import { startApp } from "../../src/main.ts";
import { testEnv } from "../../test/harness.ts";

const system = { type: "system" as const, id: null };
const [modelUrl] = process.argv.slice(2) as [string];
// The chat's default model unless ANTHROPIC_CHAT_MODEL names another, as for a deployment.
const chatModel: Record<string, string> = process.env.ANTHROPIC_CHAT_MODEL ? { ANTHROPIC_CHAT_MODEL: process.env.ANTHROPIC_CHAT_MODEL } : {};
const app = await startApp(testEnv({ LOG_LEVEL: "silent", ANTHROPIC_API_KEY: "bench-key", ANTHROPIC_BASE_URL: modelUrl, ...chatModel }));

async function tenant(name: string) {
  const created = await provisionTenant(
    app.deps.db,
    { name, ownerEmail: `${newId("user")}@bench.test`, ownerPassword: "correct horse battery staple 42", modes: ["live"] },
    system,
  );
  await grant(app.deps, { tenantId: created.tenant.id, idempotencyKey: "funds", actor: system }, 1_000_000, "bench funds");
  return { key: created.keys.live!.secret.key, tenantId: created.tenant.id };
}

const latency = await tenant("Latency");
await addDocument(app.deps, system, latency.tenantId, {
  title: "Shipping",
  format: "markdown",
  content: "# Shipping\nParcels leave the warehouse within two days and arrive within a week.",
});

const cost = await tenant("Cost");
// A persona of its own: the cached prefix starts cold, as for a tenant's first visitor in five minutes.
await app.deps.settings.update(system, cost.tenantId, { chat: { botName: `Cost bench ${Date.now()}` } });
// The subject of the conversation: five sections of about 500 tokens each (2,500 in all); other guides around it.
for (const topic of ["shipping", "returns", "warranty", "accounts", "payments"]) {
  const sentence = (i: number) =>
    `For ${topic} question ${i}, customers should check the order page, keep the receipt, and contact support with the order number if anything looks wrong. `;
  const sections = Array.from({ length: 5 }, (_, i) => `## ${topic} detail ${i}\n${sentence(i).repeat(12)}`);
  await addDocument(app.deps, system, cost.tenantId, { title: `${topic} guide`, format: "markdown", content: `# ${topic} guide\n${sections.join("\n\n")}` });
}

process.send!({ url: app.url, mode: app.deps.database.kind, chatModel: app.deps.env.ANTHROPIC_CHAT_MODEL, latencyKey: latency.key, costKey: cost.key });
process.on("disconnect", () => void app.close().then(() => process.exit(0)));
