// Shapes of the platform's answers that only the widget reads; the chat's and the runs' own (messages, events,
// RunView) are in @bizbot/shared, which the platform writes them with.
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

/** A JSON Schema, as the platform hands out an agent's input (platform/src/agents/catalogue.ts). */
export type JsonSchema = Record<string, unknown>;

/** One agent of `widget.agents` (platform/src/trpc/routers/widget/agents.ts). */
export interface WidgetAgent {
  id: string;
  name: string;
  description: string;
  credits: number;
  inputSchema: JsonSchema;
  /** The visitor's free runs of this agent: how many the tenant gives, and how many are left. */
  trial: { freeRuns: number; remaining: number };
  /** Once they are used up: the tenant's call to action (paywall), or runs the tenant pays for (charge). */
  afterTrial: "paywall" | "charge";
}
