import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import Stripe from "stripe";
import { bearer, rest, startStripeServer, uniqueEmail } from "@bizbot/testing";
import { services, startTestApp } from "../test/harness.ts";

const bin = fileURLToPath(new URL("../bin/bizbot.js", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "bizbot-cli-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** The environment the operator would have: the shared database when there is one, else an embedded one on disk. */
const cliEnv = {
  ...process.env,
  DATA_DIR: dataDir,
  LOG_LEVEL: "warn",
  REDIS_KEY_PREFIX: `bizbot-cli-test-${process.pid}:`,
};

function bizbot(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return bizbotWith({}, ...args);
}

function bizbotWith(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...cliEnv, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("bizbot CLI", () => {
  let tenant: { tenantId: string; publishableKey: string; secretKey: string; owner: { email: string; password?: string } };
  let extraKey: { id: string; key: string; allowedOrigins: string[] };

  it("migrates", async () => {
    const res = await bizbot("migrate");
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/Applied 2026_12_01_0001_foundation|Database is up to date/);
  });

  it("creates a tenant and prints one JSON object with a live key pair", async () => {
    const email = uniqueEmail("cli");
    const res = await bizbot("tenant", "create", "--name", "CLI Shop", "--owner-email", email, "--json");
    expect(res.code, res.stderr).toBe(0);
    tenant = JSON.parse(res.stdout);
    expect(res.stdout.trim().split("\n")).toHaveLength(1);
    expect(tenant.tenantId).toMatch(/^ten_[a-z2-7]{26}$/);
    expect(tenant.publishableKey).toMatch(/^pk_live_/);
    expect(tenant.secretKey).toMatch(/^sk_live_/);
    expect(tenant.owner.email).toBe(email);
    expect(tenant.owner.password).toMatch(/^[a-z2-7]{24}$/);
  });

  it("creates keys and revokes them by id or by the key itself", async () => {
    const created = await bizbot(
      "keys",
      "create",
      "--tenant",
      tenant.tenantId,
      "--kind",
      "publishable",
      "--origins",
      "https://a.example.com, https://*.b.example.com",
      "--json",
    );
    expect(created.code, created.stderr).toBe(0);
    extraKey = JSON.parse(created.stdout);
    expect(extraKey.key).toMatch(/^pk_live_/);
    expect(extraKey.allowedOrigins).toEqual(["https://a.example.com", "https://*.b.example.com"]);

    const byKey = await bizbot("keys", "revoke", "--key", tenant.secretKey);
    expect(byKey.code, byKey.stderr).toBe(0);
    expect(byKey.stdout).toContain("revoked");
    const byId = await bizbot("keys", "revoke", "--key", extraKey.id, "--json");
    expect(JSON.parse(byId.stdout)).toMatchObject({ id: extraKey.id, tenantId: tenant.tenantId });
    expect(JSON.parse(byId.stdout).revokedAt).not.toBeNull();
  });

  it("grants credits once per idempotency key and reads the balance", async () => {
    const first = await bizbot(
      "credits",
      "grant",
      "--tenant",
      tenant.tenantId,
      "--amount",
      "250",
      "--reason",
      "welcome",
      "--idempotency-key",
      "cli-welcome",
      "--json",
    );
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ tenantId: tenant.tenantId, balance: 250, held: 0, available: 250 });
    const retry = await bizbot(
      "credits",
      "grant",
      "--tenant",
      tenant.tenantId,
      "--amount",
      "250",
      "--reason",
      "welcome",
      "--idempotency-key",
      "cli-welcome",
      "--json",
    );
    expect(JSON.parse(retry.stdout)).toEqual(JSON.parse(first.stdout));
    const balance = await bizbot("credits", "balance", "--tenant", tenant.tenantId, "--json");
    expect(JSON.parse(balance.stdout)).toEqual({ tenantId: tenant.tenantId, balance: 250, held: 0, available: 250 });
    const bad = await bizbot("credits", "grant", "--tenant", tenant.tenantId, "--amount=-5", "--reason", "x");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--amount must be");
  });

  it("explains bad usage and unknown things without a stack trace", async () => {
    const usage = await bizbot("keys", "create", "--tenant", tenant.tenantId, "--kind", "root");
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--kind must be secret or publishable");
    const unknownTenant = await bizbot("keys", "create", "--tenant", `ten_${"a".repeat(26)}`, "--kind", "secret");
    expect(unknownTenant.code).toBe(1);
    expect(unknownTenant.stderr.trim()).toBe("bizbot: Tenant not found");
    const unknownKey = await bizbot("keys", "revoke", "--key", "key_nothing");
    expect(unknownKey.stderr.trim()).toBe("bizbot: API key not found");
    const weak = await bizbot("tenant", "create", "--name", "W", "--owner-email", uniqueEmail(), "--owner-password", "password12");
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain("Password");
  });

  // Each command is a process that opens the database: six of them, so this test has more time than the default.
  it("syncs Stripe prices, reconciles missed events, and lists the e-mails waiting in the outbox", { timeout: 180_000 }, async () => {
    const stripe = await startStripeServer();
    try {
      const env = { STRIPE_SECRET_KEY: stripe.secretKey, STRIPE_API_URL: stripe.url, SMTP_URL: "" };
      const unconfigured = await bizbot("stripe", "sync");
      expect(unconfigured.code).toBe(2);
      expect(unconfigured.stderr).toContain("STRIPE_SECRET_KEY");
      const synced = await bizbotWith(env, "stripe", "sync", "--json");
      expect(synced.code, synced.stderr).toBe(0);
      expect(JSON.parse(synced.stdout).created).toHaveLength(8);

      // A purchase whose webhook never reached us: Stripe has its events, the reconcile applies them, once.
      const api = new Stripe(stripe.secretKey, { host: "127.0.0.1", port: new URL(stripe.url).port, protocol: "http" });
      const price = (await api.prices.list({ lookup_keys: ["bizbot_starter"] })).data[0]!;
      const session = await api.checkout.sessions.create({
        mode: "payment",
        line_items: [{ price: price.id, quantity: 1 }],
        client_reference_id: tenant.tenantId,
        metadata: { tenant_id: tenant.tenantId, product: "starter" },
        success_url: "https://portal.example.test/billing",
      });
      await stripe.completeCheckout(session.id);
      const before = JSON.parse((await bizbot("credits", "balance", "--tenant", tenant.tenantId, "--json")).stdout).balance;
      const reconciled = await bizbotWith(env, "stripe", "reconcile", "--since", "1h", "--json");
      expect(reconciled.code, reconciled.stderr).toBe(0);
      const first = JSON.parse(reconciled.stdout);
      expect(first).toMatchObject({ duplicate: 0, deferred: 0 });
      expect(first.applied).toBeGreaterThan(0);
      const again = await bizbotWith(env, "stripe", "reconcile", "--since", "1h", "--json");
      expect(JSON.parse(again.stdout)).toMatchObject({ read: first.read, applied: 0, duplicate: first.read });
      expect(JSON.parse((await bizbot("credits", "balance", "--tenant", tenant.tenantId, "--json")).stdout).balance).toBe(before + 500);
      expect((await bizbotWith(env, "stripe", "reconcile", "--since", "40d")).stderr).toContain("at most 30d");

      // The purchase's confirmation waits for SMTP_URL; the operator can read it.
      const waiting = await bizbot("outbox", "list", "--limit", "1000");
      expect(waiting.code, waiting.stderr).toBe(0);
      expect(waiting.stdout).toContain(`To: ${tenant.owner.email.toLowerCase()}\nSubject: Payment received: 500 credits added`);
      expect((await bizbot("outbox", "list", "--status", "lost")).code).toBe(2);
    } finally {
      await stripe.close();
    }
  });

  it("serves what it made: the revoked key is refused, and the embedded database is locked while in use", async () => {
    const app = await startTestApp({ DATA_DIR: dataDir, REDIS_KEY_PREFIX: cliEnv.REDIS_KEY_PREFIX });
    try {
      expect((await rest(app.url, "GET", "/v1/tenant", { headers: bearer(tenant.secretKey) })).status).toBe(401);
      if (!services.postgres) {
        const locked = await bizbot("migrate");
        expect(locked.code).toBe(1);
        expect(locked.stderr).toContain(`is in use by process ${process.pid}`);
      }
    } finally {
      await app.close();
    }
  });

  it("serves on the embedded defaults with a demo tenant, and stops cleanly on SIGTERM", async () => {
    const embeddedDir = mkdtempSync(join(tmpdir(), "bizbot-serve-"));
    const child = spawn(process.execPath, [bin, "serve"], {
      env: { ...cliEnv, DATA_DIR: embeddedDir, DATABASE_URL: "", REDIS_URL: "", REQUIRE_SERVICES: "0", PORT: "0", LOG_LEVEL: "info", DEMO_TENANT: "1" },
    });
    try {
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      await expect.poll(() => stdout, { timeout: 30_000 }).toMatch(/secret key +sk_live_/);
      const url = (JSON.parse(stdout.split("\n").find((l) => l.includes('"platform listening"'))!) as { url: string }).url;
      const publishable = /publishable key +(pk_live_\S+)/.exec(stdout)![1]!;
      const secret = /secret key +(sk_live_\S+)/.exec(stdout)![1]!;
      expect((await rest(url, "GET", "/health")).status).toBe(200);
      expect(await (await fetch(`${url}/`)).text()).toContain(`data-key="${publishable}"`);
      expect((await rest<{ name: string }>(url, "GET", "/v1/tenant", { headers: bearer(secret) })).body.name).toBe("Demo Shop");

      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(stdout).toContain('"signal":"SIGTERM"');
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(embeddedDir, { recursive: true, force: true });
    }
  });
});
