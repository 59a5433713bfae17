import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { Controls, type RecordedRequest, type StandIn } from "./stand-in.ts";
import { stripeApi } from "./stripe-api.ts";
import { completeCheckout, settleAsyncPayment } from "./stripe-billing.ts";
import { type Form, Params, parseForm, StripeError, type StripeErrorBody } from "./stripe-form.ts";
import { type CardBehaviour, StripeLedger } from "./stripe-ledger.ts";
import { API_VERSION, stripeId } from "./stripe-objects.ts";
import { hostedPage, type PageReply } from "./stripe-pages.ts";
import { cancelSubscription, changeSubscription, renewSubscription } from "./stripe-subscriptions.ts";

export type { CardBehaviour } from "./stripe-ledger.ts";

export interface StripeServerOptions {
  /** The only API key accepted; default `sk_test_bizbot`. */
  secretKey?: string;
  /** What webhooks are signed with; default `whsec_bizbot_test`. */
  webhookSecret?: string;
  /** Where each event is POSTed as it is made; none by default (see `setWebhookUrl`). */
  webhookUrl?: string;
}

export interface DeliverOptions {
  /** Default: the webhook URL set. */
  url?: string;
  /** Sign with another secret than `webhookSecret`. */
  secret?: string;
  /** Sign as of this time, in Unix seconds; default now. */
  timestamp?: number;
  /** The whole `Stripe-Signature` header, sent as it is instead of one computed. */
  signature?: string;
  /** The body to send instead of the event's JSON, still under the event's signature: a body changed in transit. */
  payload?: string;
}

/** One POST of an event to a webhook URL: `status` 0 when no answer came (refused, timed out). */
export interface WebhookDelivery {
  eventId: string;
  url: string;
  status: number;
  body: string;
}

export interface StripeStandIn extends StandIn {
  /** Requests as received; the `body` of an API POST is its form decoded into objects and arrays. */
  requests: RecordedRequest[];
  secretKey: string;
  webhookSecret: string;
  /** Every event made, oldest first. */
  events: Stripe.Event[];
  /** Every webhook delivery attempted, in order. */
  deliveries: WebhookDelivery[];
  /** From now on each new event is POSTed, signed, to `url` (null: to nowhere), one at a time in the order made. */
  setWebhookUrl(url: string | null): void;
  /** Signs one event with `Stripe.webhooks.generateTestHeaderString` and POSTs it; never throws for a failed delivery. */
  deliver(event: Stripe.Event, options?: DeliverOptions): Promise<{ status: number; body: string }>;
  /**
   * Resolves once every event made so far has been delivered (or failed to be). Events of API requests (an
   * off-session payment) are delivered after the response, as Stripe's are; the controls below wait by themselves.
   */
  settled(): Promise<void>;
  /**
   * The customer pays on the hosted page: see stripe-billing.ts for what is made. `paymentStatus: "unpaid"` starts a
   * delayed bank debit instead (payment mode only), settled by `succeedAsyncPayment` or `failAsyncPayment`.
   * Each control resolves, once the webhooks are delivered, to the events it made, oldest first.
   */
  completeCheckout(sessionId: string, options?: { paymentStatus?: "paid" | "unpaid" }): Promise<Stripe.Event[]>;
  succeedAsyncPayment(sessionId: string): Promise<Stripe.Event[]>;
  failAsyncPayment(sessionId: string): Promise<Stripe.Event[]>;
  /** The period ends: a new invoice, charged to the saved card (which may decline: `setCardBehaviour`). */
  renewSubscription(subscriptionId: string): Promise<Stripe.Event[]>;
  /** The customer switches to the active price with `lookupKey` in the portal. */
  changeSubscription(subscriptionId: string, lookupKey: string): Promise<Stripe.Event[]>;
  /** The customer cancels in the portal, now or (`atPeriodEnd`) when the period ends, at the next `renewSubscription`. */
  cancelSubscription(subscriptionId: string, options?: { atPeriodEnd?: boolean }): Promise<Stripe.Event[]>;
  /** As POST /v1/refunds with this payment intent: charge.refunded, refund.created. */
  refund(paymentIntentId: string, amount?: number): Promise<Stripe.Event[]>;
  /** The cardholder disputes the whole payment: charge.dispute.created, status `needs_response`. */
  dispute(paymentIntentId: string): Promise<Stripe.Event[]>;
  closeDispute(disputeId: string, outcome: "won" | "lost"): Promise<Stripe.Event[]>;
  /** How the customer's saved card answers off-session charges (payment intents, renewals) from now on; null restores it. */
  setCardBehaviour(customerId: string, behaviour: CardBehaviour | null): void;
  customers: ReadonlyMap<string, Stripe.Customer>;
  products: ReadonlyMap<string, Stripe.Product>;
  prices: ReadonlyMap<string, Stripe.Price>;
  checkoutSessions: ReadonlyMap<string, Stripe.Checkout.Session>;
  paymentMethods: ReadonlyMap<string, Stripe.PaymentMethod>;
  paymentIntents: ReadonlyMap<string, Stripe.PaymentIntent>;
  charges: ReadonlyMap<string, Stripe.Charge>;
  refunds: ReadonlyMap<string, Stripe.Refund>;
  disputes: ReadonlyMap<string, Stripe.Dispute>;
  subscriptions: ReadonlyMap<string, Stripe.Subscription>;
  invoices: ReadonlyMap<string, Stripe.Invoice>;
}

/** What a replayed idempotent request answers. */
interface Stored {
  fingerprint: string;
  status: number;
  body: string;
  requestId: string;
}

/** Webhook endpoints that do not answer within this are counted as failed, as Stripe does. */
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * A stand-in for Stripe's API that the real `stripe` SDK talks to
 * (`new Stripe(secretKey, { host: "127.0.0.1", port, protocol: "http" })`), in Stripe's wire format: form-encoded
 * requests, bearer keys, idempotency keys, Stripe's error bodies and lists. Test controls act as the customer, the
 * bank and the card networks would, and each change makes an event, delivered signed to the webhook URL.
 *
 * Its own server rather than `startStandIn`'s: Stripe's requests are forms, not JSON, and it serves HTML pages too.
 */
export async function startStripeServer(options: StripeServerOptions = {}): Promise<StripeStandIn> {
  const secretKey = options.secretKey ?? "sk_test_bizbot";
  const webhookSecret = options.webhookSecret ?? "whsec_bizbot_test";
  let webhookUrl = options.webhookUrl ?? null;
  const requests: RecordedRequest[] = [];
  const deliveries: WebhookDelivery[] = [];
  const idempotent = new Map<string, Stored>();
  const controls = new Controls();
  const closing = new AbortController();
  // Deliveries run one after another, in the order the events were made.
  let delivered = Promise.resolve();

  const deliver = async (event: Stripe.Event, how: DeliverOptions = {}) => {
    const url = how.url ?? webhookUrl;
    if (!url) throw new Error("No webhook URL: pass options.url or call setWebhookUrl");
    // Stripe pretty-prints its webhook bodies; the signature covers the exact bytes.
    const json = JSON.stringify(event, null, 2);
    const secret = how.secret ?? webhookSecret;
    const signature = how.signature ?? Stripe.webhooks.generateTestHeaderString({ payload: json, secret, timestamp: how.timestamp });
    const payload = how.payload ?? json;
    let answer: { status: number; body: string };
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "stripe-signature": signature,
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        },
        body: payload,
        signal: AbortSignal.any([closing.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
      });
      answer = { status: res.status, body: await res.text() };
    } catch (error) {
      answer = { status: 0, body: String((error as Error).cause ?? error) };
    }
    deliveries.push({ eventId: event.id, url, ...answer });
    return answer;
  };

  const server = createServer(async (req, res) => {
    try {
      const text = await readBody(req);
      const url = new URL(req.url ?? "/", "http://stand-in");
      const method = req.method ?? "GET";
      const request: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body: undefined };
      requests.push(request);
      if (controls.down) return controls.hold(res);
      let reply: PageReply;
      if (url.pathname.startsWith("/v1/")) {
        const form = decode(method === "GET" ? url.searchParams : new URLSearchParams(text));
        if (method === "POST" && !(form instanceof StripeError)) request.body = form;
        reply = answer(request, form, text);
      } else reply = await hostedPage(ledger, method, url.pathname, (id) => act(() => completeCheckout(ledger, id)));
      res.writeHead(reply.status, reply.headers).end(reply.body);
    } catch (error) {
      // A stand-in's own bug answers 500 rather than hanging the client until its timeout.
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" }).end(errorJson({ type: "api_error", message: String(error) }));
      else res.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const ledger = new StripeLedger(baseUrl, (event) => {
    const url = webhookUrl;
    if (url) delivered = delivered.then(() => deliver(event, { url }).then(() => undefined));
  });
  const api = stripeApi(ledger);

  /** Authentication, injected failures and idempotency, then the API itself. */
  const answer = (request: RecordedRequest, form: Form | StripeError, text: string): PageReply => {
    const requestId = stripeId("req");
    const headers: Record<string, string> = { "content-type": "application/json", "request-id": requestId, "stripe-version": API_VERSION };
    const reply = (status: number, body: string, extra: Record<string, string> = {}) => ({ status, headers: { ...headers, ...extra }, body });
    const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (key !== secretKey) return reply(401, errorJson({ type: "invalid_request_error", message: authError(key) }));
    const failure = controls.takeFailure();
    if (failure) return reply(failure, errorJson(injected(failure)));
    if (form instanceof StripeError) return reply(form.status, errorJson(form.body));

    const idempotencyKey = request.method === "POST" ? (request.headers["idempotency-key"] as string | undefined) : undefined;
    const fingerprint = `${request.method} ${request.path}\n${text}`;
    const stored = idempotencyKey ? idempotent.get(idempotencyKey) : undefined;
    if (stored && stored.fingerprint !== fingerprint)
      return reply(
        400,
        errorJson({
          type: "idempotency_error",
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        }),
      );
    const echo = idempotencyKey ? { "idempotency-key": idempotencyKey } : undefined;
    if (stored) return reply(stored.status, stored.body, { ...echo, "idempotent-replayed": "true", "original-request": stored.requestId });

    let status = 200;
    let body: string;
    ledger.request = { id: requestId, idempotency_key: idempotencyKey ?? null };
    try {
      body = JSON.stringify(api(request.method, request.path, new Params(form)), null, 2);
    } catch (error) {
      if (!(error instanceof StripeError)) throw error;
      status = error.status;
      body = errorJson(error.body);
    } finally {
      ledger.request = null;
    }
    // Stripe keeps the result of a request that ran (a card decline included), not of one refused before it ran.
    if (idempotencyKey && (status === 200 || status === 402)) idempotent.set(idempotencyKey, { fingerprint, status, body, requestId });
    return reply(status, body, echo);
  };

  /** Runs a control, then waits for the delivery of what it made. */
  const act = async (run: () => void): Promise<Stripe.Event[]> => {
    const from = ledger.events.length;
    run();
    const made = ledger.events.slice(from);
    await delivered;
    return made;
  };

  return {
    url: baseUrl,
    requests,
    secretKey,
    webhookSecret,
    events: ledger.events,
    deliveries,
    setWebhookUrl: (url) => {
      webhookUrl = url;
    },
    deliver: (event, how) => deliver(event, how),
    settled: () => delivered,
    completeCheckout: (id, how) => act(() => completeCheckout(ledger, id, how?.paymentStatus)),
    succeedAsyncPayment: (id) => act(() => settleAsyncPayment(ledger, id, true)),
    failAsyncPayment: (id) => act(() => settleAsyncPayment(ledger, id, false)),
    renewSubscription: (id) => act(() => renewSubscription(ledger, id)),
    changeSubscription: (id, lookupKey) => act(() => changeSubscription(ledger, id, lookupKey)),
    cancelSubscription: (id, how) => act(() => cancelSubscription(ledger, id, how?.atPeriodEnd ?? false)),
    refund: (id, amount) => act(() => ledger.refund(ledger.paidCharge(id), amount, null)),
    dispute: (id) => act(() => ledger.dispute(id)),
    closeDispute: (id, outcome) => act(() => ledger.closeDispute(id, outcome)),
    setCardBehaviour: (id, behaviour) => ledger.setCardBehaviour(id, behaviour),
    customers: ledger.customers,
    products: ledger.products,
    prices: ledger.prices,
    checkoutSessions: ledger.checkoutSessions,
    paymentMethods: ledger.paymentMethods,
    paymentIntents: ledger.paymentIntents,
    charges: ledger.charges,
    refunds: ledger.refunds,
    disputes: ledger.disputes,
    subscriptions: ledger.subscriptions,
    invoices: ledger.invoices,
    failNext: (status, times) => controls.failNext(status, times),
    setDown: (down) => controls.setDown(down),
    close: async () => {
      closing.abort();
      await delivered;
      await controls.close(server);
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const decode = (search: URLSearchParams): Form | StripeError => {
  try {
    return parseForm(search);
  } catch (error) {
    if (error instanceof StripeError) return error;
    throw error;
  }
};

const errorJson = (error: StripeErrorBody) => JSON.stringify({ error }, null, 2);

/** Stripe's words for a missing key, and for a wrong one, shown masked but for its last four characters. */
function authError(key: string | undefined): string {
  if (!key)
    return "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";
  const prefix = /^[a-z]+_(?:test_|live_)?/.exec(key)?.[0] ?? "";
  return `Invalid API Key provided: ${prefix}${"*".repeat(Math.max(0, key.length - prefix.length - 4))}${key.slice(-4)}`;
}

/** The body of a `failNext` failure, of the type Stripe gives that status. */
function injected(status: number): StripeErrorBody {
  const message = "injected failure";
  if (status === 402) return { type: "card_error", code: "card_declined", decline_code: "generic_decline", message };
  if (status === 429) return { type: "invalid_request_error", code: "rate_limit", message };
  if (status === 409) return { type: "invalid_request_error", code: "lock_timeout", message };
  return { type: status >= 500 ? "api_error" : "invalid_request_error", message };
}
