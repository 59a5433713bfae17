import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../test/harness.ts";
import type { ChatEvent } from "@bizbot/shared";
import { converse } from "./chat/turn.ts";
import { ensureHouseTenant, HOUSE_KNOWLEDGE_DIR, houseWidgetKey } from "./house.ts";
import { storedHouseKey } from "./keys/embedded.ts";
import { revokeKeyByOperator } from "./keys/service.ts";
import { trpcQuery } from "@bizbot/testing";
import type { App } from "./main.ts";
import { readdirSync } from "node:fs";

let app: App;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

describe("the house tenant", () => {
  it("is made once, keeps docs/knowledge as its knowledge base, and answers questions about BizBot", async () => {
    const files = readdirSync(HOUSE_KNOWLEDGE_DIR).filter((f) => f.endsWith(".md"));
    const first = await ensureHouseTenant(app.deps);
    expect(first.added).toBe(files.length);
    // A second start finds everything up to date: same tenant, nothing re-indexed.
    expect(await ensureHouseTenant(app.deps)).toEqual({ tenantId: first.tenantId, added: 0, updated: 0, removed: 0 });
    expect((await app.deps.settings.get(first.tenantId)).chat).toMatchObject({ botName: "BizBot Assistant", replyCredits: 0 });
    // Its widget offers sign-up once a visitor's free runs are used up (no PORTAL_URL here: the platform's address).
    expect((await app.deps.settings.get(first.tenantId)).widget.callToAction).toEqual({
      label: "Sign up free",
      url: `${app.deps.env.PUBLIC_URL}/signup?from=trial`,
    });

    // No model in tests: the answer is quoted from the help centre, with its citations.
    let done: Extract<ChatEvent, { type: "done" }> | undefined;
    for await (const event of converse(
      app.deps,
      { tenantId: first.tenantId, visitorId: `vis_${"h".repeat(26)}`, userId: null },
      { message: "How much does one credit cost?" },
    )) {
      if (event.type === "done") done = event;
    }
    expect(done!.message.content).toContain("$0.04");
    expect(done!.message.citations[0]!.title).toMatch(/credit/i);
  });

  it("keeps one publishable key for its widget, which the portal's public pages read, and replaces it once revoked", async () => {
    const { tenantId } = await ensureHouseTenant(app.deps);
    // Instances starting together agree on one key.
    const keys = await Promise.all(Array.from({ length: 5 }, () => houseWidgetKey(app.deps, tenantId)));
    expect(new Set(keys).size).toBe(1);
    const key = keys[0]!;
    expect(key).toMatch(/^pk_live_/);
    const served = await trpcQuery<{ publishableKey: string | null }>(app.url, "house.widget");
    expect(served.data).toEqual({ publishableKey: key });
    // The key works for the widget on the platform's own origin.
    const config = await fetch(`${app.url}/widget/config?key=${key}`, { headers: { origin: new URL(app.deps.env.PUBLIC_URL).origin } });
    expect(config.status).toBe(200);

    await revokeKeyByOperator(app.deps, key);
    const replaced = await houseWidgetKey(app.deps, tenantId);
    expect(replaced).not.toBe(key);
    expect(await storedHouseKey(app.deps.db)).toBe(replaced);
  });
});
