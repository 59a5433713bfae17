import { setImmediate } from "node:timers/promises";
import type { Kysely } from "kysely";
import type { Logger } from "pino";
import { agents, type ChatEvent, type Citation, type MessageView, type SuggestedAction } from "@bizbot/shared";
import type { DB } from "../db/schema.ts";
import type { Env } from "../env.ts";
import { hold, release, settle, type CreditDeps } from "../credits/service.ts";
import { DomainError, notFound } from "../errors.ts";
import { chunksByIds, type SearchHit } from "../knowledge/repository.ts";
import { search } from "../knowledge/search.ts";
import type { SemanticIndex } from "../knowledge/semantic.ts";
import { newId } from "../lib/ids.ts";
import { LlmError, type LlmGateway } from "../llm/gateway.ts";
import { noUsage } from "../llm/models.ts";
import type { SettingsStore } from "../tenants/settings.ts";
import { extractiveAnswer } from "./fallback.ts";
import { LeakGuard } from "./guard.ts";
import { buildRequest, HISTORY_EXCHANGES, type BuiltRequest } from "./prompt.ts";
import {
  findConversation,
  insertAssistantMessage,
  insertConversation,
  insertVisitorMessage,
  listMessages,
  unchargeMessage,
  visitorContexts,
  type Answer,
  type MessageRow,
} from "./repository.ts";

export interface ChatDeps extends CreditDeps {
  db: Kysely<DB>;
  semantic: SemanticIndex | null;
  settings: SettingsStore;
  /** null when no model is configured: every answer is then extractive. */
  llm: LlmGateway | null;
  env: Pick<Env, "ANTHROPIC_CHAT_MODEL">;
  log: Logger;
}

/** Passages retrieved for each question. */
const PASSAGES = 5;
/** A reply's credits are held this long at most: far longer than any reply takes. */
const HOLD_SECONDS = 300;

export interface Asker {
  tenantId: string;
  visitorId: string;
  /** The tenant's own id of a signed-in user, already verified (identity.ts). */
  userId: string | null;
}

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

export function conversationView(row: Awaited<ReturnType<typeof findConversation>> & object): ConversationView {
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

/**
 * One turn: stores the visitor's message, retrieves passages, streams the model's grounded answer (or an
 * extractive one when the model is not configured, fails, or the tenant has no credits), and stores the answer
 * with its citations, actions, tokens and cost. A model reply costs the tenant `replyCredits`, held before the
 * call and settled after it; a fallback costs nothing.
 */
export async function* converse(deps: ChatDeps, asker: Asker, input: { conversationId?: string | undefined; message: string }): AsyncGenerator<ChatEvent> {
  const conversation = input.conversationId
    ? await ownConversation(deps.db, asker, input.conversationId)
    : await insertConversation(deps.db, { id: newId("conversation"), tenantId: asker.tenantId, visitorId: asker.visitorId, userId: asker.userId });
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
async function store(deps: ChatDeps, asker: Asker, conversationId: string, messageId: string, { hold: held, ...answer }: Answered): Promise<MessageRow> {
  const call = (step: "hold" | "settle" | "release") => creditCall(asker.tenantId, messageId, step);
  let row: MessageRow;
  try {
    row = await deps.db
      .transaction()
      .execute((trx) =>
        insertAssistantMessage(trx, { ...answer, id: messageId, tenantId: asker.tenantId, conversationId, creditsCharged: held?.credits ?? 0 }),
      );
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

/** A reply's credit operations, each idempotent under a key made of the reply's id and the step. */
const creditCall = (tenantId: string, messageId: string, step: "hold" | "settle" | "release") => ({
  tenantId,
  idempotencyKey: `chat-${step}:${messageId}`,
  actor: { type: "system" as const, id: null },
});

interface Answered extends Answer {
  /** The credits held for a model reply, settled once the reply is stored; none for a fallback. */
  hold: { id: string; credits: number } | null;
}

async function answer(
  deps: ChatDeps,
  asker: Asker,
  turn: { messageId: string; message: string; passages: SearchHit[]; built: BuiltRequest; settings: Awaited<ReturnType<SettingsStore["get"]>>["chat"] },
  emit: (text: string) => void,
): Promise<Answered> {
  /** Whether any of the model's text reached the reader. */
  let streamed = false;
  /** The extractive answer, never charged; `spent` is what a model call that gave nothing usable cost the platform. */
  const fallback = (notice: string, spent?: Pick<Answered, "model" | "usage" | "costUsd">): Answered => {
    const numberOf = (p: SearchHit) => turn.built.numberOf.get(p.chunkId)!;
    const extract = extractiveAnswer(turn.message, turn.passages, numberOf);
    // What the model streamed first (a partial answer, blanks) stays apart from this one for readers that join the tokens.
    emit(streamed ? `\n\n${extract.text}` : extract.text);
    return {
      content: extract.text,
      citations: extract.used.map((p) => citation(p, numberOf(p))),
      actions: [{ type: "human", label: "Talk to a person" }],
      mode: "fallback",
      notice,
      model: null,
      usage: noUsage(),
      costUsd: 0,
      ...spent,
      hold: null,
    };
  };
  if (!deps.llm) return fallback("The AI assistant is not set up here, so this answer quotes the help content directly.");

  const price = turn.settings.replyCredits;
  const call = (step: "hold" | "settle" | "release") => creditCall(asker.tenantId, turn.messageId, step);
  let holdId: string | null = null;
  if (price > 0) {
    try {
      holdId = (await hold(deps, call("hold"), price, turn.messageId, HOLD_SECONDS)).holdId;
    } catch (error) {
      if (!(error instanceof DomainError && error.reason === "payment_required")) throw error;
      return fallback("This site's assistant is out of credits, so this answer quotes the help content directly.");
    }
  }

  const guard = new LeakGuard(turn.settings.instructions);
  try {
    const result = await deps.llm.stream(
      { ...turn.built.request, model: deps.env.ANTHROPIC_CHAT_MODEL },
      {
        onText: (delta) => {
          const shown = guard.push(delta);
          if (shown) emit(shown);
          streamed ||= Boolean(shown);
        },
      },
    );
    const tail = guard.flush();
    if (tail) emit(tail);
    streamed ||= Boolean(tail);
    // Let the streamed text reach the reader before the bookkeeping: with the embedded database, a query holds
    // the event loop, and a reply that arrived all at once would otherwise wait behind it.
    await setImmediate();
    const spent = { usage: result.usage, costUsd: result.costUsd, model: result.model, hold: holdId ? { id: holdId, credits: price } : null };
    if (guard.leaked || guard.leaks(result.text)) {
      deps.log.warn({ tenantId: asker.tenantId, messageId: turn.messageId }, "an answer quoting the business's confidential instructions was withheld");
      const text = "I can't share that. Is there something else I can help you with?";
      emit(`\n\n${text}`);
      return { content: text, citations: [], actions: [], mode: "model", notice: null, ...spent };
    }
    const { text, citations } = cited(result.text, turn.built.numbered);
    if (!text) {
      // A reply of a tool call alone, a refusal, or thinking that used up max_tokens: no words for the visitor.
      if (holdId) await release(deps, call("release"), holdId);
      deps.log.warn(
        { tenantId: asker.tenantId, messageId: turn.messageId, stopReason: result.stopReason },
        "the model's reply had no text; answering from the knowledge base",
      );
      return fallback("The AI assistant gave no answer this time, so this answer quotes the help content directly.", {
        model: result.model,
        usage: result.usage,
        costUsd: result.costUsd,
      });
    }
    const actions = validActions(result.toolUses, [...turn.built.numbered.values()], turn.settings.escalationEmail).filter(
      (a) => !guard.leaks([a.label, a.url, a.email].join(" ")),
    );
    if (turn.passages.length === 0 && !actions.some((a) => a.type === "human")) actions.push({ type: "human", label: "Talk to a person" });
    return { content: text, citations, actions, mode: "model", notice: null, ...spent };
  } catch (error) {
    if (holdId) await release(deps, call("release"), holdId);
    if (!(error instanceof LlmError)) throw error;
    deps.log.warn({ err: error, tenantId: asker.tenantId }, "model reply failed; answering from the knowledge base");
    return fallback(`The AI assistant is unavailable right now (${error.failure.replace("_", " ")}), so this answer quotes the help content directly.`);
  }
}

function citation(p: SearchHit, n: number): Citation {
  return { n, chunkId: p.chunkId, documentId: p.documentId, title: p.title, headingPath: p.headingPath };
}

/** The citations an answer makes: each [n] that names a passage shown, in order of first use; other numbers are dropped from the text. */
function cited(text: string, numbered: Map<number, SearchHit>): { text: string; citations: Citation[] } {
  const used = new Set<number>();
  const clean = text.replace(/\[(\d{1,3})\]/g, (marker, digits: string) => {
    const n = Number(digits);
    if (!numbered.has(n)) return "";
    used.add(n);
    return marker;
  });
  return { text: clean.trim(), citations: [...used].map((n) => citation(numbered.get(n)!, n)) };
}

const agentIds = new Set<string>(agents.map((a) => a.id));

/**
 * The suggest_actions the model made, kept only when they are real: a link or e-mail address must appear in the
 * retrieved passages (or be the tenant's escalation address), an agent must exist. A model cannot send a visitor
 * to an address someone planted in a question.
 */
function validActions(toolUses: Array<{ name: string; input: unknown }>, passages: SearchHit[], escalationEmail: string | null): SuggestedAction[] {
  const source = passages.map((p) => p.text).join("\n");
  const actions: SuggestedAction[] = [];
  for (const use of toolUses.filter((u) => u.name === "suggest_actions")) {
    const list = (use.input as { actions?: unknown })?.actions;
    if (!Array.isArray(list)) continue;
    for (const raw of list.slice(0, 3) as unknown[]) {
      if (!raw || typeof raw !== "object") continue;
      const { label: rawLabel, type, url, email, agentId } = raw as Record<string, unknown>;
      const label = typeof rawLabel === "string" ? rawLabel.trim().slice(0, 80) : "";
      if (!label) continue;
      if (type === "human") actions.push({ type: "human", label });
      else if (type === "link" && typeof url === "string" && /^https?:\/\//.test(url) && source.includes(url)) actions.push({ type: "link", label, url });
      else if (type === "email" && typeof email === "string" && (source.includes(email) || email === escalationEmail))
        actions.push({ type: "email", label, email });
      else if (type === "agent" && typeof agentId === "string" && agentIds.has(agentId)) actions.push({ type: "agent", label, agentId });
    }
  }
  return actions.slice(0, 3);
}

/** Pieces pushed from a callback, read by `for await`: how the model's stream becomes the generator's events. */
class Channel<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private ended = false;
  private wake: (() => void) | null = null;

  push(item: T) {
    this.items.push(item);
    this.wake?.();
  }

  end() {
    this.ended = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.items.length) {
        yield this.items.shift()!;
        continue;
      }
      if (this.ended) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }
}
