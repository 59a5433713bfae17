import type { Kysely } from "kysely";
import { insertAudit } from "../audit/repository.ts";
import type { DB } from "../db/schema.ts";
import { enqueueNotification } from "../notifications/outbox.ts";
import { ownerEmails } from "../notifications/recipients.ts";
import type { SettingsStore } from "../tenants/settings.ts";
import { listMessages, markEscalated } from "./repository.ts";
import { ownConversation, type Asker } from "./conversations.ts";

/** Messages quoted in the notification, so that whoever picks it up knows what was asked. */
const QUOTED = 10;

/**
 * A visitor asks for a person: the conversation is marked escalated, and the tenant is told by e-mail (the address
 * in its chat settings, or its owners') and, when set, by a signed webhook, all in one transaction with the change.
 * Asking again changes nothing and notifies no one twice.
 */
export async function requestHuman(
  deps: { db: Kysely<DB>; settings: SettingsStore; publicUrl: string },
  asker: Asker,
  conversationId: string,
  note: string | undefined,
): Promise<{ status: "escalated"; alreadyEscalated: boolean }> {
  const conversation = await ownConversation(deps.db, asker, conversationId);
  // Already escalated: nothing to read or send (markEscalated below still settles two requests racing).
  if (conversation.status === "escalated") return { status: "escalated", alreadyEscalated: true };
  const { chat } = await deps.settings.get(asker.tenantId);
  const recipients = chat.escalationEmail ? [chat.escalationEmail] : await ownerEmails(deps.db, asker.tenantId);
  const messages = await listMessages(deps.db, asker.tenantId, conversation.id, QUOTED);
  const escalatedAt = new Date().toISOString();
  const event = {
    event: "conversation.escalated",
    tenantId: asker.tenantId,
    conversationId: conversation.id,
    visitorId: conversation.visitor_id,
    userId: conversation.user_id,
    note: note ?? null,
    escalatedAt,
    messages: messages.map((m) => ({ role: m.role, content: m.content, createdAt: m.created_at.toISOString() })),
  };
  const changed = await deps.db.transaction().execute(async (trx) => {
    if (!(await markEscalated(trx, asker.tenantId, conversation.id))) return false;
    const transcript = messages.map((m) => `${m.role === "visitor" ? "Visitor" : chat.botName}: ${m.content}`).join("\n\n");
    for (const to of recipients) {
      await enqueueNotification(trx, {
        tenantId: asker.tenantId,
        kind: "conversation.escalated",
        channel: "email",
        target: to,
        payload: {
          subject: `A visitor asked for a person (conversation ${conversation.id})`,
          text: [
            `A visitor on your site asked to talk to a person at ${escalatedAt}.`,
            note ? `Their note: ${note}` : null,
            conversation.user_id ? `Signed-in user: ${conversation.user_id}` : `Visitor: ${conversation.visitor_id}`,
            `Open the conversation in the BizBot portal (${deps.publicUrl}), or read it with GET /v1/conversations/${conversation.id}.`,
            `The conversation so far:\n\n${transcript || "(no messages yet)"}`,
          ]
            .filter(Boolean)
            .join("\n\n"),
        },
      });
    }
    if (chat.webhookUrl)
      await enqueueNotification(trx, { tenantId: asker.tenantId, kind: "conversation.escalated", channel: "webhook", target: chat.webhookUrl, payload: event });
    await insertAudit(
      trx,
      { type: "system", id: null },
      { tenantId: asker.tenantId, action: "chat.escalated", target: { type: "conversation", id: conversation.id } },
    );
    return true;
  });
  return { status: "escalated", alreadyEscalated: !changed };
}
