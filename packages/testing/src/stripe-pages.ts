import type Stripe from "stripe";
import { formatAmount } from "./stripe-billing-objects.ts";
import { checkoutLineItems } from "./stripe-billing.ts";
import type { StripeLedger } from "./stripe-ledger.ts";

/** An answer of the hosted pages: HTML, a redirect, or the invoice's PDF. */
export interface PageReply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function html(status: number, title: string, main: string): PageReply {
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
<main>
${main}
</main>
</body>
</html>
`;
  return { status, headers: { "content-type": "text/html; charset=utf-8" }, body };
}

const notFound = (what: string) => html(404, "Not found", `<h1>Not found</h1>\n<p>${escapeHtml(what)}</p>`);

/**
 * The pages a browser sees instead of Stripe's: Checkout, where one button pays (through `pay`, which completes
 * the session as the `completeCheckout` control does and waits for its webhooks) and then goes to the success URL;
 * the billing portal, a way back; and invoices, as a page and a PDF.
 */
export async function hostedPage(ledger: StripeLedger, method: string, path: string, pay: (sessionId: string) => Promise<unknown>): Promise<PageReply> {
  const [, kind, id, action] = /^\/(checkout|billing-portal|invoices)\/([^/]+)(?:\/(pay|pdf))?$/.exec(path) ?? [];
  const verb = `${method} ${kind}${action ? `/${action}` : ""}`;
  if (verb === "GET checkout" || verb === "POST checkout/pay") {
    const session = ledger.checkoutSessions.get(id!);
    if (session?.status !== "open") return notFound("This checkout session is not open: it was completed, or it never existed.");
    if (method === "GET") return checkoutPage(session);
    await pay(session.id);
    if (!session.success_url) return html(200, "Payment complete", "<h1>Payment complete</h1>");
    return { status: 303, headers: { location: session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id) }, body: "" };
  }
  if (verb === "GET billing-portal") {
    const session = ledger.portalSessions.get(id!);
    return session ? portalPage(ledger, session) : notFound("No such billing portal session.");
  }
  const invoice = ledger.invoices.get(id ?? "");
  if (verb === "GET invoices" && invoice) return invoicePage(invoice);
  if (verb === "GET invoices/pdf" && invoice) return { status: 200, headers: { "content-type": "application/pdf" }, body: pdf(invoiceText(invoice)) };
  return notFound(`Nothing is served at ${method} ${path}.`);
}

function checkoutPage(session: Stripe.Checkout.Session): PageReply {
  const items = checkoutLineItems(session);
  const total = formatAmount(session.amount_total ?? 0, session.currency ?? "usd");
  const recurring = items.find((item) => item.price?.recurring)?.price;
  const lines = items
    .map((item) => `<li>${escapeHtml(item.description ?? "")} × ${item.quantity}: ${formatAmount(item.amount_total, item.currency)}</li>`)
    .join("\n");
  const then = recurring ? `\n<p>Then ${formatAmount(recurring.unit_amount ?? 0, recurring.currency)} every ${recurring.recurring!.interval}.</p>` : "";
  const cancel = session.cancel_url ? `\n<p><a href="${escapeHtml(session.cancel_url)}">Cancel and return to BizBot</a></p>` : "";
  return html(
    200,
    `Pay ${total} to BizBot`,
    `<h1>Pay ${total} to BizBot</h1>
<ul>
${lines}
</ul>${then}
<p>Card: Visa ending in 4242 (test mode)</p>
<form method="post" action="/checkout/${escapeHtml(session.id)}/pay">
<button type="submit">${session.mode === "subscription" ? "Subscribe" : "Pay"}</button>
</form>${cancel}`,
  );
}

function portalPage(ledger: StripeLedger, session: Stripe.BillingPortal.Session): PageReply {
  const subscriptions = [...ledger.subscriptions.values()].filter((s) => s.customer === session.customer && s.status !== "canceled");
  const plans = subscriptions.map((s) => {
    const item = s.items.data[0]!;
    const name = ledger.products.get(item.price.product as string)?.name ?? item.price.id;
    const renews = new Date(item.current_period_end * 1000).toISOString().slice(0, 10);
    return `<li>${escapeHtml(name)}: ${s.status}, ${s.cancel_at_period_end ? "ends" : "renews"} on ${renews}</li>`;
  });
  const list = plans.length ? `<ul>\n${plans.join("\n")}\n</ul>` : "<p>No current plan.</p>";
  const back = session.return_url ? `\n<p><a href="${escapeHtml(session.return_url)}">Return to BizBot</a></p>` : "";
  return html(200, "BizBot billing", `<h1>BizBot billing</h1>\n${list}${back}`);
}

const invoiceText = (invoice: Stripe.Invoice) => [
  `Invoice ${invoice.number}`,
  `Status: ${invoice.status}`,
  ...invoice.lines.data.map((line) => `${line.description}: ${formatAmount(line.amount, line.currency)}`),
  `Amount paid: ${formatAmount(invoice.amount_paid, invoice.currency)}`,
];

function invoicePage(invoice: Stripe.Invoice): PageReply {
  const [title, ...rest] = invoiceText(invoice);
  const lines = rest.map((line) => `<p>${escapeHtml(line)}</p>`).join("\n");
  return html(
    200,
    title!,
    `<h1>${escapeHtml(title!)}</h1>\n${lines}\n<p><a href="${escapeHtml(invoice.invoice_pdf ?? "")}">Download the invoice as PDF</a></p>`,
  );
}

/** A one-page PDF of text lines in Helvetica: enough for a viewer to open and a test to read. */
function pdf(lines: string[]): Buffer {
  const ascii = (line: string) =>
    line
      .replaceAll("×", "x")
      .replace(/[^\x20-\x7e]/g, "?")
      .replace(/[()\\]/g, (c) => `\\${c}`);
  const text = lines.map((line, i) => `BT /F1 12 Tf 72 ${720 - i * 18} Td (${ascii(line)}) Tj ET`).join("\n");
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
  ];
  let out = "%PDF-1.4\n";
  const offsets = objects.map((object, i) => {
    const offset = out.length;
    out += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}
