import type { Kysely } from "kysely";
import type { ChatEvent } from "@bizbot/shared";
import type { DB } from "../db/schema.ts";
import { creditCall, release, settle } from "../credits/service.ts";
import { DomainError, notFound } from "../errors.ts";
import { chunksByIds } from "../knowledge/repository.ts";
import { search } from "../knowledge/search.ts";
import type { SemanticIndex } from "../knowledge/semantic.ts";
import { Channel } from "../lib/channel.ts";
import { newId } from "../lib/ids.ts";
import type { SettingsStore } from "../tenants/settings.ts";
import { answer, type AnswerDeps, type Answered } from "./answer.ts";
import { ownConversation, startConversation, type Asker } from "./conversations.ts";
import { buildRequest, HISTORY_EXCHANGES } from "./prompt.ts";
import { insertAssistantMessage, insertVisitorMessage, listMessages, unchargeMessage, visitorContexts, type MessageRow } from "./repository.ts";
import { messageView } from "./views.ts";

export interface ChatDeps extends AnswerDeps {
  db: Kysely<DB>;
  semantic: SemanticIndex | null;
  settings: SettingsStore;
}

/** Passages retrieved for each question. */
const PASSAGES = 5;

/**
 * One turn: stores the visitor's message, retrieves passages, streams the model's grounded answer (or an
 * extractive one when the model is not configured, fails, or the tenant has no credits), and stores the answer
 * with its citations, actions, tokens and cost. A model reply costs the tenant `replyCredits`, held before the
 * call and settled after it; a fallback costs nothing.
 */
export async function* converse(deps: ChatDeps, asker: Asker, input: { conversationId?: string | undefined; message: string }): AsyncGenerator<ChatEvent> {
  const conversation = input.conversationId ? await ownConversation(deps.db, asker, input.conversationId) : await startConversation(deps.db, asker);
  const [history, contexts] = await Promise.all([
    listMessages(deps.db, asker.tenantId, conversation.id, HISTORY_EXCHANGES * 2),
    visitorContexts(deps.db, asker.tenantId, conversation.id),
  ]);
  const shown = new Set(history.map((m) => m.id));
  const [{ results: passages }, settings, known] = await Promise.all([
    search(deps, asker.tenantId, input.message, PASSAGES),
    deps.settings.get(asker.tenantId),
    chunksByIds(deps.db, asker.tenantId, [...new Set(history.flatMap((m) => m.context))]),
  ]);
  const earlier = contexts.filter((m) => !shown.has(m.id)).map((m) => m.context);
  const built = buildRequest(settings.chat, earlier, history, new Map(known.map((k) => [k.chunkId, k])), passages, input.message);
  await deps.db.transaction().execute((trx) =>
    insertVisitorMessage(trx, {
      id: newId("message"),
      tenantId: asker.tenantId,
      conversationId: conversation.id,
      content: input.message,
      context: built.context,
    }),
  );
  const messageId = newId("message");
  yield { type: "started", conversationId: conversation.id, visitorId: asker.visitorId, messageId };

  const channel = new Channel<string>();
  // Finished and stored whether or not the reader is still there (the model call takes no signal from the request):
  // a visitor who closes the panel mid-answer finds the answer in the history.
  const stored = answer(deps, asker, { messageId, message: input.message, passages, built, settings: settings.chat }, (text) => channel.push(text))
    .then((answered) => store(deps, asker, conversation.id, messageId, answered))
    .finally(() => channel.end());
  // Handled here as well as awaited below: when the reader has gone, nothing else would see a failure.
  stored.catch((error: unknown) => {
    if (!(error instanceof DomainError)) deps.log.error({ err: error, messageId }, "storing an answer failed");
  });
  for await (const text of channel) yield { type: "token", text };
  yield { type: "done", conversationId: conversation.id, visitorId: asker.visitorId, message: messageView(await stored) };
}

/**
 * Stores the answer, then settles its held credits: a reply is never charged without its message. If the message
 * cannot be stored (its conversation deleted meanwhile), the hold is released; if the credits cannot be settled,
 * the message says it cost nothing (and the hold expires back to the tenant).
 */
async function store(deps: ChatDeps, asker: Asker, conversationId: string, messageId: string, { hold: held, ...reply }: Answered): Promise<MessageRow> {
  const call = (step: "hold" | "settle" | "release") => creditCall(asker.tenantId, "chat", messageId, step);
  let row: MessageRow;
  try {
    row = await deps.db
      .transaction()
      .execute((trx) => insertAssistantMessage(trx, { ...reply, id: messageId, tenantId: asker.tenantId, conversationId, creditsCharged: held?.credits ?? 0 }));
  } catch (error) {
    if (held) await release(deps, call("release"), held.id);
    // 23503: the conversation was deleted while the answer was being written.
    if ((error as { code?: unknown }).code === "23503") throw notFound("Conversation");
    throw error;
  }
  if (!held) return row;
  try {
    await settle(deps, call("settle"), held.id, held.credits);
    return row;
  } catch (error) {
    deps.log.error({ err: error, messageId }, "settling a reply's credits failed; the reply is recorded as free");
    await unchargeMessage(deps.db, asker.tenantId, { id: messageId, conversationId, credits: held.credits });
    return { ...row, credits_charged: 0 };
  }
}
