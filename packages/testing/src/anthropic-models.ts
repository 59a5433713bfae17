import type { MessageCreateParams } from "@anthropic-ai/sdk/resources/messages";

/**
 * What some models do with `thinking`, `output_config.effort` and `tool_choice`, as each model's migration guide
 * documents it, so that a client's request is refused, or thought about, as the real API would. Models not listed
 * behave as those before Claude 5: they think only when asked, and take any thinking setting but `between_tools`.
 */
interface Behaviour {
  /** Claude 5 models think (adaptive) when the request says nothing of thinking. */
  thinksByDefault: boolean;
  /** The `thinking.type` values the model accepts; any other is a 400. */
  thinking: ReadonlyArray<string>;
  /** Whether `tool_choice` may force a tool (`any` or `tool`). */
  forcedToolChoice: boolean;
}

const claude5: Behaviour = { thinksByDefault: true, thinking: ["adaptive", "disabled"], forcedToolChoice: true };
/** Fable models think always; at effort low they may skip it. */
const fable: Behaviour = { thinksByDefault: true, thinking: ["adaptive"], forcedToolChoice: true };

const BEHAVIOUR: Readonly<Record<string, Behaviour>> = {
  "claude-sonnet-5-5": { thinksByDefault: true, thinking: ["adaptive", "between_tools"], forcedToolChoice: false },
  "claude-haiku-5-5": claude5,
  "claude-opus-5-5": { thinksByDefault: true, thinking: ["adaptive"], forcedToolChoice: true },
  "claude-sonnet-5": claude5,
  "claude-opus-5": claude5,
  "claude-fable-5-2": fable,
  "claude-fable-5-1": fable,
  "claude-fable-5": fable,
};
/** `between_tools` came with Sonnet 5.5. */
const BEFORE_CLAUDE_5: Behaviour = { thinksByDefault: false, thinking: ["enabled", "adaptive", "disabled"], forcedToolChoice: true };

const behaviourOf = (model: string) => BEHAVIOUR[model] ?? BEFORE_CLAUDE_5;

/** The 400 message the model answers this request with, or null when it takes it. */
export function refusal(body: MessageCreateParams): string | null {
  const behaviour = behaviourOf(body.model);
  const type = body.thinking?.type;
  if (type !== undefined && !behaviour.thinking.includes(type)) {
    return `thinking.type: "${type}" is not supported for ${body.model}. Use ${behaviour.thinking.map((t) => `"${t}"`).join(" or ")}.`;
  }
  const choice = body.tool_choice?.type;
  if (!behaviour.forcedToolChoice && (choice === "any" || choice === "tool")) {
    return `tool_choice: forcing tool use ("${choice}") is not supported for ${body.model}; use "auto" or "none".`;
  }
  return null;
}

/**
 * Whether the model thinks before its answer. It does when given a budget (`enabled`), when asked to (`adaptive`),
 * or by default on Claude 5 unless told not to (`disabled`, or `between_tools`, which keeps thinking to after tool
 * results). Adaptive thinking at effort `low` is skipped, as it may be for a simple request.
 */
export function thinksFirst(body: MessageCreateParams): boolean {
  const type = body.thinking?.type;
  if (type === "enabled") return true;
  if (type === "adaptive") return body.output_config?.effort !== "low";
  if (type !== undefined) return false;
  return behaviourOf(body.model).thinksByDefault && body.output_config?.effort !== "low";
}
