import { setImmediate } from "node:timers/promises";
import type { Logger } from "pino";
import type { Env } from "../env.ts";
import { creditCall, hold, release, type CreditDeps } from "../credits/service.ts";
import { DomainError } from "../errors.ts";
import type { SearchHit } from "../knowledge/repository.ts";
import { LlmError, type LlmGateway } from "../llm/gateway.ts";
import { noUsage } from "../llm/models.ts";
import type { SettingsStore } from "../tenants/settings.ts";
import { validActions } from "./actions.ts";
import { citation, cited } from "../knowledge/citations.ts";
import type { Asker } from "./conversations.ts";
import { extractiveAnswer } from "./fallback.ts";
import { LeakGuard } from "./guard.ts";
import type { BuiltRequest } from "./prompt.ts";
import type { Answer } from "./repository.ts";

export interface AnswerDeps extends CreditDeps {
  /** null when no model is configured: every answer is then extractive. */
  llm: LlmGateway | null;
  env: Pick<Env, "ANTHROPIC_CHAT_MODEL">;
  log: Logger;
}

/** A reply's credits are held this long at most: far longer than any reply takes. */
const HOLD_SECONDS = 300;

export interface Answered extends Answer {
  /** The credits held for a model reply, settled once the reply is stored; none for a fallback. */
  hold: { id: string; credits: number } | null;
}

/**
 * The answer to one question, its text emitted as it comes: the model's grounded answer, with the reply's credits
 * held for it, or an extractive one when the model is not configured, fails, or the tenant has no credits.
 */
export async function answer(
  deps: AnswerDeps,
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
  const call = (step: "hold" | "settle" | "release") => creditCall(asker.tenantId, "chat", turn.messageId, step);
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
