import type Stripe from "stripe";
import { checkoutLineItems, createCheckoutSession } from "./stripe-billing.ts";
import { invalidRequest, noSuch, type Params, StripeError } from "./stripe-form.ts";
import type { StripeLedger } from "./stripe-ledger.ts";

type Item = { id: string; created?: number };
/** Reads a list's filters once (refusing bad ones), then tests each object. */
type Filter<T> = (p: Params) => (item: T) => boolean;

/** A resource of `GET /v1/<path>/:id`: its object name (for "No such …" errors), its objects, and how lists filter them. */
interface Resource {
  object: string;
  items: () => Item[];
  filter: Filter<Item>;
}

const equals = (wanted: string | boolean | null | undefined) => (value: unknown) => wanted === undefined || wanted === null || value === wanted;

/**
 * Answers `/v1` requests from the ledger: the creations Stripe's SDK makes for our billing, retrieval of every kind
 * of object by id, and lists, newest first, with Stripe's filters, cursors and `expand[]`.
 */
export function stripeApi(ledger: StripeLedger): (method: string, path: string, p: Params) => unknown {
  const resource = <T extends Item>(object: string, items: Map<string, T> | (() => T[]), filter: Filter<T> = () => () => true): Resource =>
    ({ object, items: typeof items === "function" ? items : () => [...items.values()], filter }) as unknown as Resource;
  const resources: Record<string, Resource> = {
    customers: resource("customer", ledger.customers),
    products: resource("product", ledger.products, (p) => {
      const active = equals(p.boolean("active"));
      return (x) => active(x.active);
    }),
    prices: resource("price", ledger.prices, (p) => {
      const keys = p.strings("lookup_keys");
      // Without `active`, Stripe lists active prices only.
      const active = p.boolean("active") ?? true;
      const [type, product, currency] = [equals(p.optional("type")), equals(p.optional("product")), equals(p.optional("currency"))];
      return (x) => x.active === active && (!keys || keys.includes(x.lookup_key ?? "")) && type(x.type) && product(x.product) && currency(x.currency);
    }),
    "checkout/sessions": resource("checkout.session", ledger.checkoutSessions, (p) => {
      const [customer, intent, subscription, status] = ["customer", "payment_intent", "subscription", "status"].map((key) => equals(p.optional(key)));
      return (x) => customer!(x.customer) && intent!(x.payment_intent) && subscription!(x.subscription) && status!(x.status);
    }),
    subscriptions: resource("subscription", ledger.subscriptions, (p) => {
      // Without `status`, Stripe lists the subscriptions not canceled.
      const status = p.optional("status");
      const [customer, price] = [equals(p.optional("customer")), p.optional("price")];
      return (x) =>
        (status === "all" || (status ? x.status === status : x.status !== "canceled")) &&
        customer(x.customer) &&
        (!price || x.items.data.some((item) => item.price.id === price));
    }),
    invoices: resource("invoice", ledger.invoices, (p) => {
      const [customer, subscription, status] = ["customer", "subscription", "status"].map((key) => equals(p.optional(key)));
      return (x) => customer!(x.customer) && subscription!(x.parent?.subscription_details?.subscription) && status!(x.status);
    }),
    invoice_payments: resource("invoice_payment", ledger.invoicePayments, (p) => {
      const [invoice, intent, status] = [equals(p.optional("invoice")), equals(p.object("payment").optional("payment_intent")), equals(p.optional("status"))];
      return (x) => invoice(x.invoice) && intent(x.payment.payment_intent) && status(x.status);
    }),
    payment_intents: resource("payment_intent", ledger.paymentIntents),
    payment_methods: resource("PaymentMethod", ledger.paymentMethods),
    charges: resource("charge", ledger.charges),
    refunds: resource("refund", ledger.refunds),
    disputes: resource("dispute", ledger.disputes),
    events: resource("event", () => ledger.events, eventFilter),
  };

  /** Creations; the rest of `/v1` reads. */
  const creations: Record<string, (p: Params) => unknown> = {
    customers: (p) => ledger.createCustomer(p),
    products: (p) => ledger.createProduct(p),
    prices: (p) => ledger.createPrice(p),
    "checkout/sessions": (p) => createCheckoutSession(ledger, p),
    payment_intents: (p) => ledger.createPaymentIntent(p),
    refunds: (p) => ledger.createRefund(p),
    "billing_portal/sessions": (p) => ledger.createPortalSession(p),
  };

  /** Lists under an object; `listed` finds their parent first, so an unknown one is a 404. */
  const nested: Record<string, (id: string, p: Params, url: string) => Stripe.ApiList<unknown>> = {
    "customers/payment_methods": (id, p, url) => {
      ledger.get(ledger.customers, "customer", id);
      const type = equals(p.optional("type"));
      const methods = [...ledger.paymentMethods.values()].filter((m) => m.customer === id && type(m.type));
      return page(methods, p, url, "PaymentMethod");
    },
    "checkout/sessions/line_items": (id, p, url) => {
      // In the order they were given, not newest first.
      const items = checkoutLineItems(ledger.get(ledger.checkoutSessions, "checkout.session", id));
      return page([...items].reverse(), p, url, "item");
    },
  };

  const route = (method: string, path: string, p: Params): unknown => {
    const message = `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`;
    const unrecognized = new StripeError(404, { type: "invalid_request_error", message });
    const match = /^\/v1\/((?:checkout|billing_portal)\/sessions|[a-z_]+)(?:\/([^/]+))?(?:\/([a-z_]+))?$/.exec(path);
    if (!match) throw unrecognized;
    const [, name, id, sub] = match as unknown as [string, string, string | undefined, string | undefined];
    if (method === "POST" && !id && creations[name]) return creations[name](p);
    if (method === "GET" && id && sub && nested[`${name}/${sub}`]) return nested[`${name}/${sub}`]!(decodeURIComponent(id), p, path);
    const found = resources[name];
    if (method !== "GET" || !found || sub) throw unrecognized;
    if (!id) return page(found.items().filter(found.filter(p)), p, path, found.object);
    const wanted = decodeURIComponent(id);
    const item = found.items().find((x) => x.id === wanted);
    if (!item) throw noSuch(found.object, wanted);
    return item;
  };

  return (method, path, p) => {
    const body = route(method, path, p);
    const paths = p.strings("expand") ?? [];
    return paths.length ? expand(ledger, body as object, paths) : body;
  };
}

/** `type` (with `*` for any part: `invoice.*`) or up to 20 `types`, not both. */
function eventFilter(p: Params): (event: Stripe.Event) => boolean {
  const type = p.optional("type");
  const types = p.strings("types");
  if (type && types) throw invalidRequest("You may only specify one of these parameters: type, types.", { param: "types" });
  if (types && types.length > 20) throw invalidRequest("Invalid array: types must have at most 20 elements.", { param: "types" });
  const pattern = type && new RegExp(`^${type.replaceAll(".", "\\.").replaceAll("*", ".*")}$`);
  return (event) => (!pattern || pattern.test(event.type)) && (!types || types.includes(event.type));
}

/**
 * One page of a list, newest first: `limit` (1 to 100, default 10) items after `starting_after` or before
 * `ending_before`, and `created` as a timestamp or a range.
 */
function page<T extends Item>(items: T[], p: Params, url: string, object: string): Stripe.ApiList<T> {
  const limit = p.integer("limit") ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest("This value must be greater than or equal to 1 and less than or equal to 100.", { param: "limit" });
  const { gt, gte, lt, lte } = p.range("created");
  const inRange = ({ created: at = 0 }: T) =>
    (gt === undefined || at > gt) && (gte === undefined || at >= gte) && (lt === undefined || at < lt) && (lte === undefined || at <= lte);
  const newest = [...items].reverse();
  const cursor = (key: string) => {
    const id = p.optional(key);
    if (!id) return -1;
    const at = newest.findIndex((x) => x.id === id);
    if (at < 0) throw noSuch(object, id, key);
    return at;
  };
  const after = cursor("starting_after");
  const before = cursor("ending_before");
  const candidates = (before >= 0 ? newest.slice(0, before) : newest.slice(after + 1)).filter(inRange);
  const data = before >= 0 ? candidates.slice(-limit) : candidates.slice(0, limit);
  return { object: "list", data, has_more: candidates.length > limit, url };
}

/**
 * Replaces ids by their objects along each dotted path (`data.customer`, `lines.data.pricing.price_details.price`),
 * in a copy. A session's `line_items` and a charge's `refunds`, absent unless expanded, are filled in.
 */
function expand(ledger: StripeLedger, body: object, paths: string[]): object {
  const copy = structuredClone(body);
  const hidden = (owner: Record<string, unknown>, key: string): unknown => {
    if (owner.object === "checkout.session" && key === "line_items") {
      const session = ledger.checkoutSessions.get(owner.id as string);
      return { object: "list", data: session ? checkoutLineItems(session) : [], has_more: false, url: `/v1/checkout/sessions/${owner.id}/line_items` };
    }
    if (owner.object === "charge" && key === "refunds") {
      const data = [...ledger.refunds.values()].filter((r) => r.charge === owner.id).reverse();
      return { object: "list", data, has_more: false, url: `/v1/charges/${owner.id}/refunds` };
    }
    return undefined;
  };
  const resolve = (value: unknown): unknown => (typeof value === "string" ? (structuredClone(ledger.find(value)) ?? value) : value);
  const walk = (node: unknown, [key, ...rest]: string[]): void => {
    if (key === undefined || typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) {
      for (const element of node) walk(element, [key, ...rest]);
      return;
    }
    const owner = node as Record<string, unknown>;
    const value = owner[key] ?? hidden(owner, key);
    if (value === undefined) return;
    owner[key] = Array.isArray(value) ? value.map(resolve) : resolve(value);
    walk(owner[key], rest);
  };
  for (const path of paths) walk(copy, path.split("."));
  return copy;
}
