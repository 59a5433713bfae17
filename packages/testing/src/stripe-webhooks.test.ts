import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stripeClient, uniqueKey } from "./stripe-fixtures.ts";
import { startStripeServer, type StripeStandIn } from "./stripe-server.ts";

describe("Stripe stand-in webhooks", () => {
  let standIn: StripeStandIn;
  let stripe: Stripe;
  let receiver: Server;
  let receiverUrl: string;
  const received: { body: string; headers: IncomingHttpHeaders; verified: Stripe.Event | null }[] = [];

  beforeAll(async () => {
    standIn = await startStripeServer({ webhookSecret: "whsec_test_receiver" });
    stripe = stripeClient(standIn);
    // A receiver as the platform's is: it verifies the signature on the raw body, or answers 400.
    receiver = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString("utf8");
      let verified: Stripe.Event | null = null;
      try {
        verified = stripe.webhooks.constructEvent(body, req.headers["stripe-signature"] as string, "whsec_test_receiver", 300);
      } catch {}
      received.push({ body, headers: req.headers, verified });
      res.writeHead(verified ? 200 : 400).end(verified ? "ok" : "bad signature");
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`;
    standIn.setWebhookUrl(receiverUrl);
  });
  afterAll(async () => {
    await standIn.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  async function openSession() {
    const price = await stripe.prices.create({ product_data: { name: "BizBot Growth" }, currency: "usd", unit_amount: 5000, lookup_key: uniqueKey("growth") });
    return stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: "https://app.example/billing/done?session={CHECKOUT_SESSION_ID}",
      cancel_url: "https://app.example/billing",
    });
  }

  it("delivers each event, signed, before the control resolves", async () => {
    const session = await openSession();
    const from = received.length;
    const events = await standIn.completeCheckout(session.id);
    const got = received.slice(from);
    expect(got.map((r) => r.verified?.id)).toEqual(events.map((e) => e.id));
    expect(got[0]!.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(got[0]!.body).toBe(JSON.stringify(events[0], null, 2));
    expect(got.at(-1)!.verified).toMatchObject({ type: "checkout.session.completed", data: { object: { id: session.id, payment_status: "paid" } } });
    expect(standIn.deliveries.slice(-events.length)).toEqual(events.map((e) => ({ eventId: e.id, url: receiverUrl, status: 200, body: "ok" })));
  });

  it("delivers with another secret, an old timestamp or a raw header when asked, and records failures without throwing", async () => {
    const event = standIn.events.at(-1)!;
    expect(await standIn.deliver(event)).toEqual({ status: 200, body: "ok" });
    expect((await standIn.deliver(event, { secret: "whsec_other" })).status).toBe(400);
    expect((await standIn.deliver(event, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(400);
    expect((await standIn.deliver(event, { signature: "t=1,v1=deadbeef" })).status).toBe(400);
    expect(received.at(-1)!.headers["stripe-signature"]).toBe("t=1,v1=deadbeef");
    expect((await standIn.deliver(event, { payload: JSON.stringify({ ...event, id: "evt_forged" }) })).status).toBe(400);
    expect(JSON.parse(received.at(-1)!.body).id).toBe("evt_forged");
    const refused = await standIn.deliver(event, { url: "http://127.0.0.1:1/webhooks" });
    expect(refused.status).toBe(0);
    expect(standIn.deliveries.at(-1)).toMatchObject({ eventId: event.id, status: 0 });
  });

  it("serves an accessible checkout page whose button pays, delivers, then goes to the success URL", async () => {
    const session = await openSession();
    const page = await fetch(session.url!);
    const html = await page.text();
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html).toContain("<title>Pay $50.00 to BizBot</title>");
    expect(html).toMatch(
      /<main>[\s\S]*<h1>Pay \$50\.00 to BizBot<\/h1>[\s\S]*<form method="post" action="\/checkout\/cs_test_\w+\/pay">\s*<button type="submit">Pay<\/button>/,
    );
    expect(html).toContain('<a href="https://app.example/billing">');

    const from = received.length;
    const paid = await fetch(`${standIn.url}/checkout/${session.id}/pay`, { method: "POST", redirect: "manual" });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(`https://app.example/billing/done?session=${session.id}`);
    expect(received.slice(from).map((r) => r.verified?.type)).toEqual(["payment_intent.succeeded", "charge.succeeded", "checkout.session.completed"]);
    expect((await fetch(session.url!)).status).toBe(404);
  });
});
