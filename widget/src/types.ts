// The platform's wire shapes, as the widget sees them. Written out here rather than imported: the widget must not
// depend on platform/, and only types cross the wire (platform/src/chat/service.ts is their source).

export interface Citation {
  n: number;
  chunkId: string;
  documentId: string;
  title: string;
  headingPath: string[];
}

export interface SuggestedAction {
  type: "link" | "email" | "agent" | "human";
  label: string;
  url?: string;
  email?: string;
  agentId?: string;
}

export interface MessageView {
  id: string;
  conversationId: string;
  role: "visitor" | "assistant";
  content: string;
  citations: Citation[];
  actions: SuggestedAction[];
  mode: "model" | "fallback" | null;
  notice: string | null;
  creditsCharged: number;
  createdAt: string;
}

export type ConversationStatus = "open" | "escalated";

export interface ConversationIds {
  visitorId: string;
  conversationId: string;
}

export interface History {
  conversationId: string;
  status: ConversationStatus;
  messages: MessageView[];
}

/** What chat.send streams: the values the platform's `converse` generator yields, unwrapped by tRPC. */
export type ChatEvent =
  | { type: "started"; conversationId: string; visitorId: string; messageId: string }
  | { type: "token"; text: string }
  | { type: "done"; conversationId: string; visitorId: string; message: MessageView };
