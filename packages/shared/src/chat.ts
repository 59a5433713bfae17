// The support chat's wire shapes: what the platform sends (platform/src/chat/) and the widget reads (widget/src/).

/** What a numbered citation `[n]` in an answer points at: a stored chunk of the tenant's knowledge base. */
export interface Citation {
  n: number;
  chunkId: string;
  documentId: string;
  title: string;
  headingPath: string[];
  /** The page the passage's document was imported from, when it was imported from the web. */
  url?: string | null;
  /** The passage, or its beginning: what the widget shows when there is no page to link to. */
  text?: string;
}

/** A next step offered under an answer. */
export interface SuggestedAction {
  type: "link" | "email" | "agent" | "human";
  label: string;
  url?: string;
  email?: string;
  agentId?: string;
}

export type ConversationStatus = "open" | "escalated";

export interface MessageView {
  id: string;
  conversationId: string;
  role: "visitor" | "assistant";
  content: string;
  citations: Citation[];
  actions: SuggestedAction[];
  /** How an answer was made: by the model, or quoted from the knowledge base when the model could not answer. */
  mode: "model" | "fallback" | null;
  /** Why an answer is a fallback, in words for the visitor. */
  notice: string | null;
  creditsCharged: number;
  createdAt: string;
}

/** What a chat turn streams (`chat.send`, `POST /v1/chat` with SSE). */
export type ChatEvent =
  | { type: "started"; conversationId: string; visitorId: string; messageId: string }
  | { type: "token"; text: string }
  /** The stored answer. Its content is what counts: a fallback after a failure mid-stream replaces the streamed text. */
  | { type: "done"; conversationId: string; visitorId: string; message: MessageView };
