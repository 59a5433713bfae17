import type { z } from "zod";
import { DomainError } from "../errors.ts";
import { LlmError, type LlmFailure, type LlmGateway, type LlmRequest, type LlmResult } from "../llm/gateway.ts";
import { costOf, noUsage, type TokenUsage } from "../llm/models.ts";
import { AGENT_RULES, byteLength, clip, fenced, jobPrompt } from "./prompt.ts";
import { modelSchema } from "./schema.ts";

/** What an agent may spend on the model in one attempt of a run. */
export interface ModelLimits {
  /** Calls an attempt may make, the repair of an answer included. */
  calls: number;
  /** Output tokens one call may write. */
  maxOutputTokens: number;
  /**
   * UTF-8 bytes of one call's prompt: system blocks, message and output schema. A token is at least a byte, so this
   * bounds the call's input tokens whatever the text; agents clip their material to stay under it.
   */
  maxPromptBytes: number;
}

export interface ModelCall {
  /** The agent's job for this call: the second system block, before the tenant's instructions. */
  job: string;
  /** The user message: the call's data, fenced (prompt.ts). */
  prompt: string;
  /** At most the agent's maxOutputTokens. */
  maxTokens?: number;
  /** false: an unfit answer fails at once, leaving the call a repair would take to later steps. Default true. */
  repair?: boolean;
  /** Streams the answer's text as it comes (a report's markdown). */
  onText?: (delta: string) => void;
}

/** A call's answer is shorter than this, it is not worth making: the budget is spent. */
const MIN_OUTPUT_TOKENS = 200;

const REPAIR_JOB = `Your previous answer did not fit the required result. Inside <answer> is that answer, and inside <problems> what is wrong with it. Answer again with the whole corrected result: keep everything that was right, fix each problem, add nothing new.`;

/**
 * The model as one run's agent sees it: structured answers checked against a zod schema with one repair, and spend
 * kept under the run's cap. Before each call, its worst case (every prompt byte a token at the cache-write price,
 * every allowed output token written) must fit what is left of the cap, or the call asks for fewer output tokens;
 * so the platform never pays more for a run than the cap, whatever the model and the input.
 */
export class RunModel {
  calls = 0;
  usage: TokenUsage = noUsage();
  /** Dollars spent by this attempt's calls: what each cost, and the worst case of one that failed part way. */
  costUsd = 0;
  model: string | null = null;

  constructor(
    private readonly options: {
      llm: LlmGateway;
      limits: ModelLimits;
      /** Most the whole run may cost the platform, earlier attempts included. */
      capUsd: number;
      /** Spent by earlier attempts of the run. */
      spentUsd: number;
      instructions: string;
      signal: AbortSignal;
      /**
       * Told of every change to this attempt's dollars as it happens (the runner writes them on the run): a call's
       * worst case before it is made, then the correction to what it cost.
       */
      onCost?: (usd: number) => Promise<void>;
    },
  ) {}

  /** An answer shaped by `schema`: asked as structured output, parsed by zod, repaired once if it does not fit. */
  async json<S extends z.ZodType>(call: ModelCall & { schema: S }): Promise<z.output<S>> {
    const format = { type: "json_schema" as const, schema: modelSchema(call.schema) };
    const first = await this.call(call, format);
    const checked = check(call.schema, first);
    if (checked.ok) return checked.value;
    if (call.repair === false || this.calls >= this.options.limits.calls) throw unfit(checked.problems, false);
    const problems = fenced("problems", clip(checked.problems.join("\n"), 2000));
    const room = this.room(REPAIR_JOB, format.schema) - byteLength(problems) - 40;
    const repaired = await this.call(
      { job: REPAIR_JOB, prompt: `${fenced("answer", clip(first.text, room))}\n${problems}`, maxTokens: call.maxTokens },
      format,
    );
    const again = check(call.schema, repaired);
    if (again.ok) return again.value;
    throw unfit(again.problems, true);
  }

  /**
   * Bytes left for a call's prompt once the system blocks (the platform's rules, `job`, the tenant's instructions) and
   * the answer's schema are counted: what an agent clips its material to.
   */
  room(job: string, schema?: z.ZodType | Record<string, unknown>): number {
    const schemaBytes = schema === undefined ? 0 : byteLength(JSON.stringify(isZod(schema) ? modelSchema(schema) : schema));
    return this.options.limits.maxPromptBytes - byteLength(this.system(job).join("")) - schemaBytes;
  }

  /** Free text (markdown), streamed to `onText` as it comes. */
  async text(call: ModelCall): Promise<string> {
    return (await this.call(call)).text;
  }

  private async call(call: ModelCall, format?: LlmRequest["format"]): Promise<LlmResult> {
    const { llm, limits } = this.options;
    if (this.calls >= limits.calls) throw new DomainError("internal", `The agent asked the model more than the ${limits.calls} times a run allows`);
    const system = this.system(call.job);
    const bytes = byteLength(system.join("")) + byteLength(call.prompt) + (format ? byteLength(JSON.stringify(format.schema)) : 0);
    if (bytes > limits.maxPromptBytes) throw new DomainError("internal", `A prompt of ${bytes} bytes is over the agent's ${limits.maxPromptBytes}`);
    const model = llm.model;
    const maxTokens = this.affordable(model, bytes, Math.min(call.maxTokens ?? limits.maxOutputTokens, limits.maxOutputTokens));
    this.calls++;
    // The worst case is counted before the call: if the attempt dies during it (a timeout, a killed worker), what
    // the provider may have billed still counts against the run's cap.
    const reserved = worstCase(model, bytes, maxTokens);
    await this.addCost(reserved);
    let result: LlmResult;
    try {
      result = await llm.stream(
        { model, system, messages: [{ role: "user", content: call.prompt }], maxTokens, ...(format ? { format } : {}) },
        { ...(call.onText ? { onText: call.onText } : {}), signal: this.options.signal },
      );
    } catch (error) {
      if (error instanceof LlmError && UNBILLED.has(error.failure)) await this.addCost(-reserved);
      throw error;
    }
    this.model = result.model;
    await this.addCost(result.costUsd - reserved);
    for (const key of Object.keys(this.usage) as Array<keyof TokenUsage>) this.usage[key] += result.usage[key];
    return result;
  }

  private async addCost(usd: number): Promise<void> {
    this.costUsd += usd;
    await this.options.onCost?.(usd);
  }

  private system(job: string): [string, string] {
    return [AGENT_RULES, jobPrompt(job, this.options.instructions)];
  }

  /** The most output tokens (up to `wanted`) whose worst case still fits the run's cap. */
  private affordable(model: string, promptBytes: number, wanted: number): number {
    const left = this.options.capUsd - this.options.spentUsd - this.costUsd;
    const perToken = worstCase(model, promptBytes, 1) - worstCase(model, promptBytes, 0);
    const tokens = Math.min(wanted, Math.floor((left - worstCase(model, promptBytes, 0)) / perToken));
    if (tokens < MIN_OUTPUT_TOKENS) {
      throw new DomainError("unavailable", "This run needs more model work than its price allows; it was stopped and not charged");
    }
    return tokens;
  }
}

/** A call's most: every prompt byte a token at the cache-write price, every allowed output token written. */
const worstCase = (model: string, promptBytes: number, outputTokens: number) =>
  costOf(model, { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: promptBytes, outputTokens });

/** Failures that come before the model writes anything: nothing was billed, so the reservation is returned. */
const UNBILLED: ReadonlySet<LlmFailure> = new Set(["rate_limited", "overloaded", "auth", "billing", "invalid_request", "connection", "circuit_open"]);

const isZod = (schema: unknown): schema is z.ZodType => typeof (schema as { safeParse?: unknown }).safeParse === "function";

type Checked<T> = { ok: true; value: T } | { ok: false; problems: string[] };

function check<S extends z.ZodType>(schema: S, result: LlmResult): Checked<z.output<S>> {
  if (result.stopReason === "max_tokens") return { ok: false, problems: ["The answer was cut off at the output limit: make it shorter."] };
  let json: unknown;
  try {
    json = JSON.parse(result.text);
  } catch (error) {
    return { ok: false, problems: [`The answer is not JSON: ${(error as Error).message}`] };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, problems: parsed.error.issues.slice(0, 20).map((i) => `${i.path.join(".") || "(the whole answer)"}: ${i.message}`) };
}

/** The model's answer did not fit: the run fails (and is not charged). */
export class UnfitAnswer extends DomainError {
  constructor(
    readonly problems: string[],
    repaired: boolean,
  ) {
    super("internal", `The model's answer did not fit the agent's result${repaired ? ", even after a repair" : ""}: ${problems.slice(0, 3).join("; ")}`);
  }
}

const unfit = (problems: string[], repaired: boolean) => new UnfitAnswer(problems, repaired);
