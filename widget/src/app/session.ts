// What every part of the panel reads: the loader's host, the API client, storage, and the visitor's language.
import { createContext } from "preact";
import type { WidgetHost } from "../contract.ts";
import type { Locale } from "../locale.ts";
import type { StorageLike } from "../storage.ts";
import type { Api } from "./api.ts";
import { STRINGS, type Strings } from "./strings.ts";

export interface Session {
  host: WidgetHost;
  api: Api;
  storage: StorageLike | undefined;
  locale: Locale;
  /** Tells the page (`BizBot('on', 'message')`) and the unread badge that an answer or a result came in. */
  onMessage(message: { role: "assistant"; content: string } | { role: "agent"; agentId: string; runId: string }): void;
}

export const SessionContext = createContext<Session>(null as unknown as Session);
export const Lang = createContext<Strings>(STRINGS.en);
