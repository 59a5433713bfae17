// The panel's state as a reducer: every change a stream or a call makes is one named step, testable without a DOM.
import type { ConversationStatus, MessageView } from "@bizbot/shared";
import type { History } from "./types.ts";

export type Entry = Pick<MessageView, "id" | "role" | "content" | "citations" | "actions" | "notice"> & {
  /** An answer still streaming: shown as typing dots until its first token. */
  pending?: boolean;
};

export interface ChatState {
  entries: Entry[];
  /** Input is closed while the history loads (a question sent then would race it) and while an answer streams. */
  busy: "loading" | "streaming" | null;
  status: ConversationStatus;
  /** What went wrong last, in the visitor's words; cleared by the next question. */
  error: string | null;
}

export type ChatAction =
  | { type: "loading" }
  | { type: "restored"; history: History }
  | { type: "asked"; id: string; text: string }
  | { type: "token"; text: string }
  | { type: "done"; message: MessageView }
  /** `keepQuestion` when the platform had stored the question before failing: it is in the history now. */
  | { type: "failed"; error: string; keepQuestion: boolean }
  | { type: "error"; error: string | null }
  | { type: "escalated" };

export const initialState: ChatState = { entries: [], busy: null, status: "open", error: null };

const PENDING = "pending";

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case "loading":
      return { ...state, busy: "loading", error: null };
    case "restored":
      return { ...state, busy: null, status: action.history.status, entries: action.history.messages };
    case "asked": {
      const question: Entry = { id: action.id, role: "visitor", content: action.text, citations: [], actions: [], notice: null };
      const answer: Entry = { id: PENDING, role: "assistant", content: "", citations: [], actions: [], notice: null, pending: true };
      return { ...state, busy: "streaming", error: null, entries: [...state.entries, question, answer] };
    }
    case "token":
      return { ...state, entries: state.entries.map((e) => (e.pending ? { ...e, content: e.content + action.text } : e)) };
    case "done":
      // The stored answer replaces what streamed: after a failure mid-stream the platform answers with a fallback.
      return { ...state, busy: null, entries: state.entries.map((e) => (e.pending ? action.message : e)) };
    case "failed": {
      const entries = state.entries.filter((e) => !e.pending);
      if (!action.keepQuestion) entries.pop();
      return { ...state, busy: null, error: action.error, entries };
    }
    case "error":
      return { ...state, busy: state.busy === "loading" ? null : state.busy, error: action.error };
    case "escalated":
      return { ...state, status: "escalated", error: null };
  }
}
