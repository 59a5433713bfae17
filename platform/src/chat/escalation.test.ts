import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, rest, signUpAccount, startSmtpStandIn, trpcMutation, trpcQuery, type SmtpStandIn, type TestAccount } from "@bizbot/testing";
import { startTestApp } from "../../test/harness.ts";
import { DEFAULT_FETCH_POLICY } from "../lib/ssrf.ts";
import type { App } from "../main.ts";
import { postWebhook, webhookSignature } from "../notifications/webhook.ts";
import { chatSecrets } from "../tenants/secrets.ts";

const ORIGIN = "https://shop.example.com";
const system = { type: "system" as const, id: null };
let app: App;
let smtp: SmtpStandIn;
let hook: { server: Server; url: string; received: Array<{ headers: IncomingHttpHeaders; body: string }>; failures: number; holdMs: number };

beforeAll(async () => {
  smtp = await startSmtpStandIn();
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", async () => {
      if (hook.holdMs) await new Promise((resolve) => setTimeout(resolve, hook.holdMs));
      if (hook.failures > 0) {
        hook.failures--;
        res.writeHead(500).end();
        return;
      }
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hook = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/bizbot`, received, failures: 0, holdMs: 0 };
  // The webhook receiver is on loopback, which only ALLOW_PRIVATE_FETCH lets the platform reach.
  app = await startTestApp({ SMTP_URL: smtp.url, ALLOW_PRIVATE_FETCH: "1" });
});
afterAll(async () => {
  await app?.close();
  await smtp?.close();
  await new Promise((resolve) => hook?.server.close(resolve));
});

const widget = (account: TestAccount) => ({ "x-bizbot-key": account.keys.live.publishable.key, origin: ORIGIN });

/** A visitor's conversation with one exchange in it (answered from the knowledge base: no model here). */
async function conversationOf(account: TestAccount) {
  const started = await trpcMutation<{ visitorId: string; conversationId: string }>(app.url, "chat.start", { input: {}, headers: widget(account) });
  const { visitorId, conversationId } = started.data!;
  await rest(app.url, "POST", "/v1/chat", { headers: bearer(account.keys.live.secret.key), body: { message: "My order never arrived", conversationId } });
  return { visitorId, conversationId };
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("asking for a person", () => {
  it("marks the conversation escalated and tells the tenant once, by e-mail and a signed webhook", async () => {
    const account = await signUpAccount(app.url, { allowedOrigins: [ORIGIN] });
    await app.deps.settings.update(system, account.tenant.id, { chat: { escalationEmail: "support@shop.example.com", webhookUrl: hook.url } });
    const { visitorId, conversationId } = await conversationOf(account);
    const mails = smtp.messages.length;
    const hooks = hook.received.length;

    const res = await trpcMutation<{ status: string; alreadyEscalated: boolean }>(app.url, "chat.handoff", {
      input: { visitorId, conversationId, note: "Please call me" },
      headers: widget(account),
    });
    expect(res.data).toEqual({ status: "escalated", alreadyEscalated: false });
    // Other suites' e-mails (invitations, resets) share the database's outbox, and this server sends them too.
    const ours = () => smtp.messages.slice(mails).filter((m) => m.to.includes("support@shop.example.com"));
    await until(() => ours().length > 0 && hook.received.length > hooks, "the e-mail and the webhook");

    const mail = ours().at(-1)!;
    expect(mail.to).toEqual(["support@shop.example.com"]);
    expect(mail.subject).toContain(conversationId);
    expect(mail.raw).toContain("My order never arrived");
    expect(mail.raw).toContain("Please call me");

    const delivery = hook.received.at(-1)!;
    const { webhookSecret } = await chatSecrets(app.deps.db, account.tenant.id);
    const timestamp = Number(/t=(\d+)/.exec(String(delivery.headers["bizbot-signature"]))![1]);
    expect(delivery.headers["bizbot-signature"]).toBe(webhookSignature(webhookSecret, delivery.body, timestamp));
    expect(delivery.headers["bizbot-event"]).toBe("conversation.escalated");
    expect(JSON.parse(delivery.body)).toMatchObject({
      event: "conversation.escalated",
      conversationId,
      visitorId,
      note: "Please call me",
      messages: [{ role: "visitor", content: "My order never arrived" }, { role: "assistant" }],
    });

    const history = await trpcQuery<{ status: string }>(app.url, "chat.history", { input: { visitorId, conversationId }, headers: widget(account) });
    expect(history.data!.status).toBe("escalated");

    // Asking again changes nothing and notifies no one twice.
    const again = await trpcMutation<{ alreadyEscalated: boolean }>(app.url, "chat.handoff", {
      input: { visitorId, conversationId },
      headers: widget(account),
    });
    expect(again.data!.alreadyEscalated).toBe(true);
    await app.deps.outbox.drain();
    expect(ours()).toHaveLength(1);
    expect(hook.received.length).toBe(hooks + 1);
  });

  it("e-mails the tenant's owners when no escalation address is set", async () => {
    const account = await signUpAccount(app.url, { allowedOrigins: [ORIGIN] });
    const { visitorId, conversationId } = await conversationOf(account);
    await trpcMutation(app.url, "chat.handoff", { input: { visitorId, conversationId }, headers: widget(account) });
    await until(() => smtp.messages.some((m) => m.to.includes(account.email)), "the owner's e-mail");
  });

  it("keeps a notification until the mail server and the endpoint take it", async () => {
    const account = await signUpAccount(app.url, { allowedOrigins: [ORIGIN] });
    await app.deps.settings.update(system, account.tenant.id, { chat: { escalationEmail: "desk@shop.example.com", webhookUrl: hook.url } });
    const { visitorId, conversationId } = await conversationOf(account);
    smtp.failNext(1);
    hook.failures = 1;
    await trpcMutation(app.url, "chat.handoff", { input: { visitorId, conversationId }, headers: widget(account) });
    const rows = () => app.deps.db.selectFrom("notification_outbox").selectAll().where("tenant_id", "=", account.tenant.id).execute();
    await until(async () => (await rows()).every((r) => r.attempts === 1 && r.last_error), "both first attempts to fail");
    expect((await rows()).map((r) => r.status)).toEqual(["pending", "pending"]);
    // Due again now rather than in 30 s.
    await app.deps.db.updateTable("notification_outbox").set({ next_attempt_at: new Date() }).where("tenant_id", "=", account.tenant.id).execute();
    await app.deps.outbox.drain();
    expect((await rows()).map((r) => r.status)).toEqual(["sent", "sent"]);
    expect(smtp.messages.some((m) => m.to.includes("desk@shop.example.com"))).toBe(true);
  });

  it("holds a notification away from other senders while it is being sent, and retries a failure 30 s after it", async () => {
    const account = await signUpAccount(app.url, { allowedOrigins: [ORIGIN] });
    await app.deps.settings.update(system, account.tenant.id, { chat: { webhookUrl: hook.url } });
    const { visitorId, conversationId } = await conversationOf(account);
    const row = () =>
      app.deps.db
        .selectFrom("notification_outbox")
        .selectAll()
        .where("tenant_id", "=", account.tenant.id)
        .where("channel", "=", "webhook")
        .executeTakeFirstOrThrow();
    hook.holdMs = 600;
    hook.failures = 1;
    try {
      await trpcMutation(app.url, "chat.handoff", { input: { visitorId, conversationId }, headers: widget(account) });
      await until(async () => (await row()).attempts === 1, "the webhook to be claimed");
      // In flight: leased for longer than a whole batch can take, so no other instance claims it meanwhile.
      expect((await row()).next_attempt_at.getTime() - Date.now()).toBeGreaterThan(10 * 60_000);
      await until(async () => Boolean((await row()).last_error), "the first attempt to fail");
      const failed = await row();
      expect(failed.status).toBe("pending");
      expect(failed.next_attempt_at.getTime() - Date.now()).toBeGreaterThan(20_000);
      expect(failed.next_attempt_at.getTime() - Date.now()).toBeLessThanOrEqual(30_000);
    } finally {
      hook.holdMs = 0;
    }
  });

  it("never delivers a webhook to a cloud metadata address, or to a private one unless allowed", async () => {
    const delivery = { id: "ntf_x", event: "conversation.escalated", body: "{}", secret: "s" };
    await expect(postWebhook("http://169.254.169.254/latest/meta-data", delivery, { ...DEFAULT_FETCH_POLICY, allowPrivate: true })).rejects.toThrow(
      /private, loopback or link-local/,
    );
    await expect(postWebhook(hook.url, delivery, DEFAULT_FETCH_POLICY)).rejects.toThrow(/private, loopback or link-local/);
    await expect(postWebhook("http://localhost:1/x", delivery, DEFAULT_FETCH_POLICY)).rejects.toThrow(/resolves to a private/);
  });

  it("refuses a handoff for another visitor's conversation", async () => {
    const account = await signUpAccount(app.url, { allowedOrigins: [ORIGIN] });
    const { conversationId } = await conversationOf(account);
    const res = await trpcMutation(app.url, "chat.handoff", { input: { visitorId: `vis_${"z".repeat(26)}`, conversationId }, headers: widget(account) });
    expect(res.status).toBe(404);
  });
});
