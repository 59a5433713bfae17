import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findUserByEmail, listMemberships } from "./auth/repository.ts";
import { provisionTenant } from "./auth/service.ts";
import { isUniqueViolation } from "./db/errors.ts";
import type { Deps } from "./deps.ts";
import { portalUrlOf } from "./env.ts";
import { embeddedKey } from "./keys/embedded.ts";
import { addDocument, deleteDocument, documentHash, updateDocument } from "./knowledge/service.ts";

/** The owner account of the platform's own tenant: how every instance finds it. */
export const HOUSE_OWNER_EMAIL = "house@bizbot.local";
/** The help centre the house bot answers from (docs/knowledge at the repository's root). */
export const HOUSE_KNOWLEDGE_DIR = fileURLToPath(new URL("../../docs/knowledge/", import.meta.url));
const SOURCE_PREFIX = "house:docs/knowledge/";
const system = { type: "system" as const, id: null };

/**
 * The platform's own tenant, "BizBot", whose support bot answers questions about BizBot from docs/knowledge. Made
 * on the first start; at every start its knowledge base is brought in line with the files (added, changed or
 * removed ones), so the bot knows what the running version documents. Its replies cost it nothing.
 */
export async function ensureHouseTenant(deps: Deps, dir = HOUSE_KNOWLEDGE_DIR): Promise<{ tenantId: string; added: number; updated: number; removed: number }> {
  const tenantId = await houseTenantId(deps);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".md"))
    .sort();
  const existing = await deps.db.selectFrom("kb_documents").select(["id", "source_url", "content_hash"]).where("tenant_id", "=", tenantId).execute();
  const bySource = new Map(existing.map((d) => [d.source_url, d]));
  let added = 0;
  let updated = 0;
  for (const file of files) {
    const content = readFileSync(join(dir, file), "utf8");
    const title = /^#\s+(.+)$/m.exec(content)?.[1]?.trim() ?? file.replace(/\.md$/, "");
    const input = { title, content, format: "markdown" as const, sourceUrl: `${SOURCE_PREFIX}${file}` };
    const current = bySource.get(input.sourceUrl);
    bySource.delete(input.sourceUrl);
    if (!current) {
      await addDocument(deps, system, tenantId, input);
      added++;
    } else if (current.content_hash !== documentHash(input)) {
      await updateDocument(deps, system, tenantId, current.id, input);
      updated++;
    }
  }
  const gone = [...bySource.values()].filter((d) => d.source_url?.startsWith(SOURCE_PREFIX));
  for (const doc of gone) await deleteDocument(deps, system, tenantId, doc.id);
  await keepSignUpOffer(deps, tenantId);
  await houseWidgetKey(deps, tenantId);
  return { tenantId, added, updated, removed: gone.length };
}

/**
 * On the platform's own site, a visitor whose free runs are used up is offered to sign up: the portal's sign-up
 * page (PORTAL_URL, else PUBLIC_URL), marked as coming from the trial so the sign-up counts in the house funnel
 * (usage.summary's signupsAfterTrial). Set at every start, so that it follows a change of address. Written through
 * the store directly: in development the address is http, which tenants' own links (https only) may not be.
 */
function houseCallToAction(env: Pick<Deps["env"], "PORTAL_URL" | "PUBLIC_URL">) {
  return { label: "Sign up free", url: `${portalUrlOf(env)}/signup?from=trial` };
}

async function keepSignUpOffer(deps: Deps, tenantId: string): Promise<void> {
  const wanted = houseCallToAction(deps.env);
  const current = (await deps.settings.get(tenantId)).widget.callToAction;
  if (current?.label === wanted.label && current.url === wanted.url) return;
  await deps.settings.update(system, tenantId, { widget: { callToAction: wanted } });
}

async function houseTenantId(deps: Deps): Promise<string> {
  const find = async () => {
    const owner = await findUserByEmail(deps.db, HOUSE_OWNER_EMAIL);
    return owner ? (await listMemberships(deps.db, owner.id))[0]?.tenantId : undefined;
  };
  const found = await find();
  if (found) return found;
  try {
    const created = await provisionTenant(
      deps.db,
      { name: "BizBot", ownerEmail: HOUSE_OWNER_EMAIL, modes: ["live"], allowedOrigins: [new URL(deps.env.PUBLIC_URL).origin] },
      system,
    );
    await deps.settings.update(system, created.tenant.id, { chat: { botName: "BizBot Assistant", replyCredits: 0, tone: "friendly, precise and brief" } });
    return created.tenant.id;
  } catch (error) {
    // Another instance made it at the same moment: use theirs.
    if (!isUniqueViolation(error)) throw error;
    return (await find())!;
  }
}

/** The house widget's publishable key, which the portal's public pages embed; the platform's own origin allows it. */
export function houseWidgetKey(deps: Deps, tenantId: string): Promise<string> {
  return embeddedKey(deps.db, system, tenantId, "house", [new URL(deps.env.PUBLIC_URL).origin]);
}
