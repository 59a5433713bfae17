import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findUserByEmail } from "./auth/repository.ts";
import { provisionTenant } from "./auth/service.ts";
import { grant } from "./credits/service.ts";
import type { Deps } from "./deps.ts";
import { addDocument } from "./knowledge/service.ts";

export const DEMO_OWNER_EMAIL = "demo@bizbot.local";

export interface DemoTenant {
  tenantId: string;
  ownerEmail: string;
  ownerPassword: string | undefined;
  publishableKey: string;
  secretKey: string;
}

/**
 * On a first start, a demo tenant whose widget key allows this server's own origin, so the product can be tried at
 * once. Its keys are shown once; the publishable key (public by design: it sits in web pages) is also kept in
 * DATA_DIR for the demo page. Later starts find the owner and do nothing.
 */
export async function ensureDemoTenant(deps: Deps, ownerEmail = DEMO_OWNER_EMAIL): Promise<DemoTenant | null> {
  if (await findUserByEmail(deps.db, ownerEmail)) return null;
  const created = await provisionTenant(
    deps.db,
    { name: "Demo Shop", ownerEmail, modes: ["live"], allowedOrigins: [new URL(deps.env.PUBLIC_URL).origin] },
    { type: "system", id: null },
  );
  const pair = created.keys.live!;
  await seedDemoShop(deps, created.tenant.id);
  mkdirSync(deps.env.DATA_DIR, { recursive: true });
  writeFileSync(demoFile(deps.env.DATA_DIR), JSON.stringify({ tenantId: created.tenant.id, publishableKey: pair.publishable.key }, null, 2));
  return {
    tenantId: created.tenant.id,
    ownerEmail,
    ownerPassword: created.owner.generatedPassword,
    publishableKey: pair.publishable.key,
    secretKey: pair.secret.key,
  };
}

export function readDemoKey(dataDir: string): string | null {
  try {
    return (JSON.parse(readFileSync(demoFile(dataDir), "utf8")) as { publishableKey?: string }).publishableKey ?? null;
  } catch {
    return null;
  }
}

const demoFile = (dataDir: string) => join(dataDir, "demo.json");

const system = { type: "system" as const, id: null };

/**
 * What makes the demo show the product rather than an empty box: a small help centre for the chat and the Ticket
 * Resolver to answer from, credits to run agents with (once a model is configured), and routing rules for the
 * Escalation Manager.
 */
async function seedDemoShop(deps: Deps, tenantId: string): Promise<void> {
  await grant(deps, { tenantId, idempotencyKey: "demo-welcome", actor: system }, 500, "demo credits");
  for (const [title, content] of Object.entries(DEMO_HELP_CENTRE)) await addDocument(deps, system, tenantId, { title, format: "markdown", content });
  await deps.settings.update(system, tenantId, {
    escalationRules: {
      teams: [
        { id: "support", name: "Customer support", keywords: ["order", "delivery", "parcel", "return"], categories: ["shipping"] },
        { id: "billing", name: "Billing", keywords: ["invoice", "refund", "charged", "payment"], categories: ["billing", "refund"] },
        { id: "tech", name: "Web shop team", keywords: ["error", "login", "password", "checkout"], categories: ["technical", "bug"] },
      ],
      defaultTeam: "support",
      afterHoursTeam: null,
      vip: [],
      businessHours: { timeZone: "Europe/Amsterdam", days: [1, 2, 3, 4, 5], open: "09:00", close: "17:30" },
      urgentKeywords: ["urgent", "asap", "immediately"],
    },
  });
}

/** Demo Shop's help centre: a few pages, enough for grounded answers with citations. */
const DEMO_HELP_CENTRE: Record<string, string> = {
  "Shipping and delivery": `# Shipping and delivery
Orders placed before 15:00 on a working day leave the warehouse the same day. Standard delivery takes two to four working days in the EU and costs €4.95; it is free from €50.
## Tracking
Every parcel has a tracking link, e-mailed when the parcel leaves the warehouse. Tracking starts to show movement within 24 hours.
## Express
Express delivery arrives the next working day when ordered before 12:00, for €9.95.`,
  "Returns and refunds": `# Returns and refunds
You can return any item within 30 days of delivery, unused and in its original packaging. Start a return from your order page; the return label is free.
## Refunds
Refunds go back to the original payment method within five working days of the return arriving at the warehouse. Shipping costs are refunded when the whole order is returned.`,
  "Your account": `# Your account
## Password
Reset your password from the sign-in page with "Forgot password"; the link works for one hour.
## Order history
Your orders, invoices and returns are under Account, Orders. Invoices can be downloaded as PDF.`,
};
