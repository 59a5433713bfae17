// A tenant with something on every page, made through the platform's own API as its people and operator would:
// credits from the operator's CLI, a help-centre page, a visitor's conversation, an agent run and a team invitation.
import { bearer, trpcMutation, trpcQuery, trpcSubscription } from "@bizbot/testing";
import type { BrowserContext } from "playwright-core";
import { signUp, uniqueEmail } from "./helpers.ts";
import type { Stage } from "./stage.ts";

export interface SeededTenant {
  email: string;
  token: string;
  tenantId: string;
  conversationId: string;
  runId: string;
}

/** The session token in a signed-in context's portal cookie. */
export async function sessionToken(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === "bizbot_session");
  if (!cookie) throw new Error("not signed in");
  return (JSON.parse(Buffer.from(decodeURIComponent(cookie.value), "base64").toString("utf8")) as { token: string }).token;
}

async function call<T>(
  stage: Stage,
  kind: "query" | "mutation",
  path: string,
  token: string,
  input?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await (kind === "query" ? trpcQuery<T> : trpcMutation<T>)(stage.platform.url, path, { input, headers: { ...bearer(token), ...headers } });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.error)}`);
  return res.data!;
}

export async function seedTenant(stage: Stage, context: BrowserContext): Promise<SeededTenant> {
  const email = uniqueEmail("owner");
  const page = await context.newPage();
  await signUp(page, stage, { company: "Northwind Outdoor", email });
  await page.close();
  const token = await sessionToken(context);
  const me = await call<{ memberships: Array<{ tenantId: string }> }>(stage, "query", "auth.me", token);
  const tenantId = me.memberships[0]!.tenantId;
  await stage.platform.cli(["credits", "grant", "--tenant", tenantId, "--amount", "200", "--reason", "welcome credits"]);
  await call(stage, "mutation", "knowledge.create", token, {
    title: "Returns and refunds",
    format: "markdown",
    content: "# Returns and refunds\n\nYou can return any unused item within 30 days for a full refund. Refunds reach your card within 5 working days.",
  });
  const run = await call<{ id: string }>(stage, "mutation", "agents.start", token, {
    agentId: "ticket-resolver",
    input: { ticket: "My order never arrived and I would like a refund." },
  });
  await call(stage, "mutation", "team.invite", token, { email: uniqueEmail("invitee"), role: "member" });
  const conversationId = await visitorConversation(stage, token);
  return { email, token, tenantId, conversationId, runId: run.id };
}

/** A publishable key for the tenant's shop, and a visitor's question through the widget's procedures. */
async function visitorConversation(stage: Stage, token: string): Promise<string> {
  const key = await call<{ key: string }>(stage, "mutation", "keys.create", token, {
    kind: "publishable",
    mode: "live",
    name: "Seed widget",
    allowedOrigins: ["https://shop.example.com"],
  });
  const widget = { "x-bizbot-key": key.key, origin: "https://shop.example.com", "x-bizbot-visitor": `vis_${"s".repeat(26)}` };
  const started = await trpcMutation<{ conversationId: string; visitorId: string }>(stage.platform.url, "chat.start", { input: {}, headers: widget });
  if (started.status !== 200) throw new Error(`chat.start: ${started.status} ${JSON.stringify(started.error)}`);
  const { conversationId, visitorId } = started.data!;
  const sent = await trpcSubscription(stage.platform.url, "chat.send", {
    input: { visitorId, conversationId, message: "How long do refunds take?" },
    headers: widget,
  });
  if (sent.status !== 200) throw new Error(`chat.send: ${sent.status} ${JSON.stringify(sent.error)}`);
  return conversationId;
}
