import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findUserByEmail } from "./auth/repository.ts";
import { provisionTenant } from "./auth/service.ts";
import type { Deps } from "./deps.ts";

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
export async function ensureDemoTenant(deps: Deps): Promise<DemoTenant | null> {
  if (await findUserByEmail(deps.db, DEMO_OWNER_EMAIL)) return null;
  const created = await provisionTenant(
    deps.db,
    { name: "Demo Shop", ownerEmail: DEMO_OWNER_EMAIL, modes: ["live"], allowedOrigins: [new URL(deps.env.PUBLIC_URL).origin] },
    { type: "system", id: null },
  );
  const pair = created.keys.live!;
  mkdirSync(deps.env.DATA_DIR, { recursive: true });
  writeFileSync(demoFile(deps.env.DATA_DIR), JSON.stringify({ tenantId: created.tenant.id, publishableKey: pair.publishable.key }, null, 2));
  return {
    tenantId: created.tenant.id,
    ownerEmail: DEMO_OWNER_EMAIL,
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
