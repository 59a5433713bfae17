import { sql, type Kysely, type Selectable, type Transaction } from "kysely";
import type { Citation, SuggestedAction } from "@bizbot/shared";
import type { ConversationsTable, DB, MessagesTable } from "../db/schema.ts";
import type { TokenUsage } from "../llm/models.ts";

type Db = Kysely<DB> | Transaction<DB>;

export type ConversationRow = Selectable<ConversationsTable>;
export type MessageRow = Selectable<MessagesTable>;

export async function insertConversation(db: Db, row: { id: string; tenantId: string; visitorId: string; userId: string | null }): Promise<ConversationRow> {
  return (
    db
      .insertInto("conversations")
      // In milliseconds, as the page cursor (which carries it) is: now() would add microseconds a cursor cannot hold.
      .values({ id: row.id, tenant_id: row.tenantId, visitor_id: row.visitorId, user_id: row.userId, updated_at: new Date() })
      .returningAll()
      .executeTakeFirstOrThrow()
  );
}

/** A conversation of the tenant, or undefined: the tenant is always part of the lookup. */
export async function findConversation(db: Db, tenantId: string, id: string): Promise<ConversationRow | undefined> {
  return db.selectFrom("conversations").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
}

export async function insertVisitorMessage(
  trx: Transaction<DB>,
  row: { id: string; tenantId: string; conversationId: string; content: string; context: string[] },
): Promise<MessageRow> {
  const message = await trx
    .insertInto("messages")
    .values({ id: row.id, tenant_id: row.tenantId, conversation_id: row.conversationId, role: "visitor", content: row.content, context: row.context })
    .returningAll()
    .executeTakeFirstOrThrow();
  await touch(trx, row.tenantId, row.conversationId, 0, 0);
  return message;
}

/** An answer as made: by the model, or quoted from the knowledge base, with what it cost to make. */
export interface Answer {
  content: string;
  citations: Citation[];
  actions: SuggestedAction[];
  mode: "model" | "fallback";
  notice: string | null;
  model: string | null;
  usage: TokenUsage;
  costUsd: number;
}

export interface AssistantMessage extends Answer {
  id: string;
  tenantId: string;
  conversationId: string;
  creditsCharged: number;
}

/** Stores a finished answer and adds its cost to the conversation's, in the caller's transaction. */
export async function insertAssistantMessage(trx: Transaction<DB>, m: AssistantMessage): Promise<MessageRow> {
  const message = await trx
    .insertInto("messages")
    .values({
      id: m.id,
      tenant_id: m.tenantId,
      conversation_id: m.conversationId,
      role: "assistant",
      content: m.content,
      citations: JSON.stringify(m.citations),
      actions: JSON.stringify(m.actions),
      answer_mode: m.mode,
      notice: m.notice,
      model: m.model,
      input_tokens: m.usage.inputTokens,
      output_tokens: m.usage.outputTokens,
      cache_write_tokens: m.usage.cacheWriteTokens,
      cache_read_tokens: m.usage.cacheReadTokens,
      cost_usd: m.costUsd.toFixed(6),
      credits_charged: m.creditsCharged,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await touch(trx, m.tenantId, m.conversationId, m.costUsd, m.creditsCharged);
  return message;
}

async function touch(trx: Transaction<DB>, tenantId: string, conversationId: string, costUsd: number, credits: number) {
  await trx
    .updateTable("conversations")
    .set({
      message_count: sql`message_count + 1`,
      cost_usd: sql`cost_usd + ${costUsd.toFixed(6)}::numeric`,
      credits_charged: sql`credits_charged + ${credits}`,
      updated_at: new Date(),
    })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", conversationId)
    .execute();
}

/** The passages each visitor message of the conversation brought, oldest first: what fixes passage numbers. */
export async function visitorContexts(db: Db, tenantId: string, conversationId: string): Promise<Array<{ id: string; context: string[] }>> {
  return db
    .selectFrom("messages")
    .select(["id", "context"])
    .where("tenant_id", "=", tenantId)
    .where("conversation_id", "=", conversationId)
    .where("role", "=", "visitor")
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** Takes back what a reply was said to cost, when its credits could not be settled after all. */
export async function unchargeMessage(db: Db, tenantId: string, m: { id: string; conversationId: string; credits: number }): Promise<void> {
  await db.updateTable("messages").set({ credits_charged: 0 }).where("tenant_id", "=", tenantId).where("id", "=", m.id).execute();
  await db
    .updateTable("conversations")
    .set({ credits_charged: sql`credits_charged - ${m.credits}` })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", m.conversationId)
    .execute();
}

/** The conversation's messages, oldest first; `last` keeps only the newest ones. */
export async function listMessages(db: Db, tenantId: string, conversationId: string, last?: number): Promise<MessageRow[]> {
  let query = db
    .selectFrom("messages")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("conversation_id", "=", conversationId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc");
  if (last !== undefined) query = query.limit(last);
  return (await query.execute()).reverse();
}

/** The tenant's conversations, most recently active first, a page at a time (keyset on updated_at, id). */
export async function listConversations(db: Db, tenantId: string, cursor: { updatedAt: Date; id: string } | null, limit: number): Promise<ConversationRow[]> {
  let query = db.selectFrom("conversations").selectAll().where("tenant_id", "=", tenantId);
  if (cursor) {
    query = query.where((eb) => eb.or([eb("updated_at", "<", cursor.updatedAt), eb.and([eb("updated_at", "=", cursor.updatedAt), eb("id", ">", cursor.id)])]));
  }
  return query.orderBy("updated_at", "desc").orderBy("id").limit(limit).execute();
}

export async function deleteConversation(trx: Transaction<DB>, tenantId: string, id: string): Promise<boolean> {
  const deleted = await trx.deleteFrom("conversations").where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
  return deleted.numDeletedRows > 0n;
}

/** Marks the conversation escalated; false when it already was (a second request for a human changes nothing). */
export async function markEscalated(trx: Transaction<DB>, tenantId: string, id: string): Promise<boolean> {
  const updated = await trx
    .updateTable("conversations")
    .set({ status: "escalated", escalated_at: new Date(), updated_at: new Date() })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .where("status", "=", "open")
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}
