import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, signUpAccount, trpcMutation, trpcQuery, type TestAccount } from "@bizbot/testing";
import { dumpDatabase, startTestApp } from "../../test/harness.ts";
import type { App } from "../main.ts";
import { isBotAgent, loadDenyList, networkOf, visitorIdentity } from "./identity.ts";
import { takeTrialRun } from "./service.ts";

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const dir = mkdtempSync(join(tmpdir(), "bizbot-trials-"));
const denyFile = join(dir, "deny.txt");
writeFileSync(denyFile, "# data centres\n203.0.113.0/24\n2001:db8::/32  # documentation range\n");

let app: App;
let account: TestAccount;
beforeAll(async () => {
  app = await startTestApp({ TRIAL_DENY_CIDRS_FILE: denyFile });
  account = await signUpAccount(app.url, { allowedOrigins: ["https://shop.example.com"] });
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

const visitor = (fingerprint: string, ip: string, ua = CHROME) => visitorIdentity(app.deps.visitorSecret, fingerprint, ip, ua);

describe("visitor trials", () => {
  it("grants exactly the free runs, however many requests race", async () => {
    const v = visitor("fp-race", "198.51.100.7");
    const answers = await Promise.all(Array.from({ length: 100 }, () => takeTrialRun(app.deps, account.tenant.id, "ticket-resolver", v)));
    const granted = answers.filter((a) => a.granted);
    expect(granted).toHaveLength(3);
    expect(granted.map((a) => a.remaining).sort()).toEqual([0, 1, 2]);
    expect(answers.filter((a) => !a.granted).every((a) => a.refusal === "exhausted" && a.remaining === 0)).toBe(true);
  });

  it("gives no free runs of agents the tenant has not opened to trials, until it does", async () => {
    const v = visitor("fp-config", "198.51.100.8");
    expect(await takeTrialRun(app.deps, account.tenant.id, "security-scanner", v)).toMatchObject({ granted: false, refusal: "no_trial", freeRuns: 0 });
    const updated = await trpcMutation(app.url, "settings.update", { input: { trialRuns: { "security-scanner": 1 } }, headers: bearer(account.token) });
    expect(updated.status).toBe(200);
    expect(await takeTrialRun(app.deps, account.tenant.id, "security-scanner", v)).toMatchObject({ granted: true, remaining: 0, freeRuns: 1 });
    expect(await takeTrialRun(app.deps, account.tenant.id, "security-scanner", v)).toMatchObject({ granted: false, refusal: "exhausted" });
  });

  it("caps a network's free runs a day across fingerprints", async () => {
    const tenant = (await signUpAccount(app.url)).tenant.id;
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await takeTrialRun(app.deps, tenant, "ticket-resolver", visitor(`fp-net-${i}`, `192.0.2.${i + 1}`)));
    expect(answers.filter((a) => a.granted)).toHaveLength(10);
    expect(answers.slice(10).map((a) => a.refusal)).toEqual(["network_cap", "network_cap"]);
    // The refused visitors' own counts did not move: their runs are still there once the network has room.
    expect(answers[11]!.remaining).toBe(3);
    // Another network is not affected.
    expect(await takeTrialRun(app.deps, tenant, "ticket-resolver", visitor("fp-other-net", "192.0.3.1"))).toMatchObject({ granted: true });
  });

  it("refuses empty and automated user agents and the operator's deny-listed networks", async () => {
    const tenant = account.tenant.id;
    for (const ua of ["", "   ", "curl/8.5.0", "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0", "python-requests/2.32", "Googlebot/2.1"]) {
      expect(await takeTrialRun(app.deps, tenant, "ticket-resolver", visitor("fp-bot", "198.51.100.9", ua)), ua).toMatchObject({
        granted: false,
        refusal: "automated_client",
      });
    }
    for (const ip of ["203.0.113.77", "::ffff:203.0.113.78", "2001:db8:1::5"]) {
      expect(await takeTrialRun(app.deps, tenant, "ticket-resolver", visitor("fp-dc", ip)), ip).toMatchObject({ granted: false, refusal: "network_denied" });
    }
    expect(await takeTrialRun(app.deps, tenant, "ticket-resolver", visitor("fp-ok", "198.51.100.10"))).toMatchObject({ granted: true });
  });

  // The other suites sharing this database keep off 198.51.100.0/24 (a documentation range), so any trace of it is ours.
  it("stores only hashes of who the visitor is", async () => {
    await takeTrialRun(app.deps, account.tenant.id, "ticket-resolver", visitor("fp-secret-fingerprint", "198.51.100.123"));
    const dump = await dumpDatabase(app.deps.db);
    for (const raw of ["fp-secret-fingerprint", "198.51.100.123", "198.51.100", "Chrome/131"]) expect(dump).not.toContain(raw);
  });

  it("tells the widget how many free runs are left", async () => {
    const headers = {
      "x-bizbot-key": account.keys.live.publishable.key,
      origin: "https://shop.example.com",
      "x-bizbot-visitor": "fp-widget",
      "user-agent": CHROME,
    };
    const before = await trpcQuery<{ remaining: number; freeRuns: number }>(app.url, "trials.status", { input: { agentId: "ticket-resolver" }, headers });
    expect(before.data).toEqual({ agentId: "ticket-resolver", freeRuns: 3, remaining: 3 });
    // The same browser, as the platform sees it over HTTP, spends one.
    await takeTrialRun(app.deps, account.tenant.id, "ticket-resolver", visitor("fp-widget", "127.0.0.1"));
    const after = await trpcQuery<{ remaining: number }>(app.url, "trials.status", { input: { agentId: "ticket-resolver" }, headers });
    expect(after.data!.remaining).toBe(2);
    const bot = await trpcQuery<{ remaining: number }>(app.url, "trials.status", {
      input: { agentId: "ticket-resolver" },
      headers: { ...headers, "user-agent": "curl/8" },
    });
    expect(bot.data!.remaining).toBe(0);
  });
});

describe("visitor identity", () => {
  it("groups addresses by /24 and /64, whatever their spelling", () => {
    expect(networkOf("198.51.100.7")).toBe("198.51.100.0/24");
    expect(networkOf("::ffff:198.51.100.7")).toBe("198.51.100.0/24");
    expect(networkOf("2001:db8:0:1::5")).toBe(networkOf("2001:0db8:0000:0001:ffff::1"));
    expect(networkOf("2001:db8:0:1::5")).not.toBe(networkOf("2001:db8:0:2::5"));
    expect(networkOf(null)).toBe("unknown");
  });

  it("tells browsers from automation", () => {
    expect(isBotAgent(CHROME)).toBe(false);
    expect(isBotAgent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1")).toBe(false);
    expect(isBotAgent("Mozilla/5.0 (compatible; bingbot/2.0)")).toBe(true);
  });

  it("refuses a deny-list with a line that is not a CIDR range, naming the line", () => {
    const bad = join(dir, "bad.txt");
    writeFileSync(bad, "10.0.0.0/8\nnot-a-range\n");
    expect(() => loadDenyList(bad)).toThrow(`${bad}:2: "not-a-range" is not a CIDR range`);
    writeFileSync(bad, "10.0.0.0/33\n");
    expect(() => loadDenyList(bad)).toThrow(/:1:/);
  });
});
