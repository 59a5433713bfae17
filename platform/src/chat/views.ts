import type { MessageView } from "@bizbot/shared";
import type { ConversationRow, MessageRow } from "./repository.ts";

export function messageView(row: MessageRow): MessageView {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    role: row.role,
    content: row.content,
    citations: row.citations,
    actions: row.actions,
    mode: row.answer_mode,
    notice: row.notice,
    creditsCharged: row.credits_charged,
    createdAt: row.created_at.toISOString(),
  };
}

export interface ConversationView {
  id: string;
  visitorId: string;
  userId: string | null;
  status: "open" | "escalated";
  messageCount: number;
  costUsd: number;
  creditsCharged: number;
  escalatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function conversationView(row: ConversationRow): ConversationView {
  return {
    id: row.id,
    visitorId: row.visitor_id,
    userId: row.user_id,
    status: row.status,
    messageCount: row.message_count,
    costUsd: Number(row.cost_usd),
    creditsCharged: row.credits_charged,
    escalatedAt: row.escalated_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
