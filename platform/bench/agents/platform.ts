/**
 * The platform side of bench/agents, in a process of its own so that its work never holds the parent's clock.
 * `serve <modelUrl> <jobs 0|1>` starts the API (working the queue itself or not), sets up a funded tenant with a small
 * help centre and every agent enabled, and reports its URL and key; `worker <modelUrl>` runs the queue alone.
 */
import { provisionTenant } from "../../src/auth/service.ts";
import { grant } from "../../src/credits/service.ts";
import { addDocument } from "../../src/knowledge/service.ts";
import { newId } from "../../src/lib/ids.ts";
import { startApp, startWorker } from "../../src/main.ts";
import { testEnv } from "../../test/harness.ts";

/** A small help centre, about 1,500 words, for the agents that read the knowledge base. */
const HELP_CENTRE: Record<string, string> = {
  Shipping: `# Shipping\n${"Parcels leave the warehouse within two days and arrive within a week; express delivery takes two days and costs $9. Tracking links are e-mailed when a parcel leaves. ".repeat(6)}`,
  Returns: `# Returns and refunds\n${"Items can be returned within 30 days in their original packaging. Refunds are paid to the original card within five business days of the return arriving. ".repeat(6)}`,
  Accounts: `# Accounts\n${"Reset a password from the sign-in page; the link lasts one hour. Two-factor authentication can be turned on under Settings, Security. ".repeat(6)}`,
  Billing: `# Billing\n${"Invoices are in the portal under Billing. Plans renew monthly; a downgrade takes effect at the next renewal. ".repeat(6)}`,
};

const system = { type: "system" as const, id: null };
const [role, modelUrl, jobs] = process.argv.slice(2) as ["serve" | "worker", string, string | undefined];
const env = testEnv({
  LOG_LEVEL: "silent",
  ANTHROPIC_API_KEY: "bench-key",
  ANTHROPIC_BASE_URL: modelUrl,
  // The parent's runs share a prefix so that a separate worker and the server meet on one Redis key space.
  REDIS_KEY_PREFIX: process.env.BENCH_REDIS_PREFIX ?? "bizbot-bench:",
  AGENT_CONCURRENCY: process.env.AGENT_CONCURRENCY ?? "8",
});

if (role === "worker") {
  const worker = await startWorker(env);
  process.send!({ ready: true });
  process.on("disconnect", () => void worker.close().then(() => process.exit(0)));
} else {
  const app = await startApp(env, { runJobs: jobs !== "0" });
  const created = await provisionTenant(
    app.deps.db,
    { name: "Agents bench", ownerEmail: `${newId("user")}@bench.test`, ownerPassword: "correct horse battery staple 42", modes: ["live"] },
    system,
  );
  const tenantId = created.tenant.id;
  await grant(app.deps, { tenantId, idempotencyKey: "funds", actor: system }, 10_000_000, "bench funds");
  for (const [title, body] of Object.entries(HELP_CENTRE)) await addDocument(app.deps, system, tenantId, { title, format: "markdown", content: body });
  process.send!({ url: app.url, key: created.keys.live!.secret.key, mode: app.deps.database.kind });
  process.on("disconnect", () => void app.close().then(() => process.exit(0)));
}
