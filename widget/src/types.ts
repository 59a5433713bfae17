// Shapes of the platform's answers that only the widget reads; the chat's own (messages, events) are in
// @bizbot/shared, which the platform writes them with.
import type { ConversationStatus, MessageView } from "@bizbot/shared";

export interface ConversationIds {
  visitorId: string;
  conversationId: string;
}

export interface History {
  conversationId: string;
  status: ConversationStatus;
  messages: MessageView[];
}
