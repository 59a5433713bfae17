import type { Kysely } from "kysely";
import type { MessageView } from "@bizbot/shared";
import { insertAudit, type Actor } from "../audit/repository.ts";
import type { DB } from "../db/schema.ts";
import { notFound } from "../errors.ts";
import { newId } from "../lib/ids.ts";
import { deleteConversation, findConversation, insertConversation, listConversations, listMessages, type ConversationRow } from "./repository.ts";
import { conversationView, messageView, type ConversationView } from "./views.ts";

export interface Asker {
  tenantId: string;
  visitorId: string;
  /** The tenant's own id of a signed-in user, already verified (identity.ts). */
  userId: string | null;
}

/** A new conversation of the asker's. */
export async function startConversation(db: Kysely<DB>, asker: Asker): Promise<ConversationRow> {
  return insertConversation(db, { id: newId("conversation"), tenantId: asker.tenantId, visitorId: asker.visitorId, userId: asker.userId });
}

/** A conversation of the tenant with all its messages, oldest first, for the tenant's own people and servers. */
export async function readConversation(db: Kysely<DB>, tenantId: string, id: string) {
  const conversation = await findConversation(db, tenantId, id);
  if (!conversation) throw notFound("Conversation");
  return { conversation, messages: await listMessages(db, tenantId, id) };
}

/** The asker's conversation, or not found: another visitor's (or another tenant's) is indistinguishable from none. */
export async function ownConversation(db: Kysely<DB>, asker: Asker, conversationId: string) {
  const conversation = await findConversation(db, asker.tenantId, conversationId);
  if (!conversation || conversation.visitor_id !== asker.visitorId || (conversation.user_id !== null && conversation.user_id !== asker.userId)) {
    throw notFound("Conversation");
  }
  return conversation;
}

/** A visitor's own conversation, to show again after a page load. */
export async function conversationHistory(
  db: Kysely<DB>,
  asker: Asker,
  conversationId: string,
): Promise<{ conversationId: string; status: ConversationRow["status"]; messages: MessageView[] }> {
  const conversation = await ownConversation(db, asker, conversationId);
  const messages = await listMessages(db, asker.tenantId, conversation.id);
  return { conversationId: conversation.id, status: conversation.status, messages: messages.map(messageView) };
}

/**
 * Who a tenant's server speaks as. A server speaks for its tenant, so it may continue any of its conversations (as
 * that conversation's visitor and user), unless it names another visitor; otherwise it speaks as the visitor it
 * names, or a new one.
 */
export async function serverAsker(
  db: Kysely<DB>,
  tenantId: string,
  input: { conversationId?: string | undefined; visitorId?: string | undefined },
): Promise<Asker> {
  const conversation = input.conversationId ? await findConversation(db, tenantId, input.conversationId) : undefined;
  if (input.conversationId && (!conversation || (input.visitorId && conversation.visitor_id !== input.visitorId))) throw notFound("Conversation");
  return {
    tenantId,
    visitorId: conversation?.visitor_id ?? input.visitorId ?? newId("visitor"),
    userId: conversation?.user_id ?? null,
  };
}

/**
 * The tenant's conversations, most recently active first, a page at a time. `next` is the page's last conversation
 * when more follow: where the next page starts.
 */
export async function conversationPage(
  db: Kysely<DB>,
  tenantId: string,
  cursor: { updatedAt: Date; id: string } | null,
  limit: number,
): Promise<{ conversations: ConversationView[]; next: Pick<ConversationRow, "updated_at" | "id"> | null }> {
  const rows = await listConversations(db, tenantId, cursor, limit + 1);
  const page = rows.slice(0, limit);
  return { conversations: page.map(conversationView), next: rows.length > limit ? page.at(-1)! : null };
}

/** Deletes a conversation and its messages for good (a visitor's request to be forgotten, say), audited in the same transaction. */
export async function removeConversation(db: Kysely<DB>, actor: Actor, tenantId: string, id: string): Promise<{ deleted: true; id: string }> {
  await db.transaction().execute(async (trx) => {
    if (!(await deleteConversation(trx, tenantId, id))) throw notFound("Conversation");
    await insertAudit(trx, actor, { tenantId, action: "chat.conversation_deleted", target: { type: "conversation", id } });
  });
  return { deleted: true, id };
}
