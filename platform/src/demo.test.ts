import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { uniqueEmail } from "@bizbot/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../test/harness.ts";
import { getBalance } from "./credits/service.ts";
import { ensureDemoTenant, readDemoKey } from "./demo.ts";
import { listDocuments } from "./knowledge/service.ts";
import type { App } from "./main.ts";

const dataDir = mkdtempSync(join(tmpdir(), "bizbot-demo-"));
let app: App;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the demo tenant", () => {
  it("comes with a help centre, credits, an agent in its widget and routing rules, once", async () => {
    // An owner of its own: the shared test database may hold the real demo tenant from a server's start.
    const owner = uniqueEmail("demo");
    const deps = { ...app.deps, env: { ...app.deps.env, DATA_DIR: dataDir } };
    const demo = (await ensureDemoTenant(deps, owner))!;
    expect(demo.ownerEmail).toBe(owner);
    expect(readDemoKey(dataDir)).toBe(demo.publishableKey);
    const documents = await listDocuments(app.deps.db, demo.tenantId);
    expect(documents.map((d) => d.status)).toEqual(["ready", "ready", "ready"]);
    expect((await getBalance(app.deps.db, demo.tenantId)).available).toBe(500);
    const settings = await app.deps.settings.get(demo.tenantId);
    expect(settings.agents["ticket-resolver"]).toMatchObject({ enabled: true, visibility: "widget" });
    expect(settings.escalationRules?.teams.map((t) => t.id)).toEqual(["support", "billing", "tech"]);
    expect(await ensureDemoTenant(deps, owner)).toBeNull();
  });
});
