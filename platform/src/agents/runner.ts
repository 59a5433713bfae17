import { type AgentId, CREDIT_PRICE_USD, findAgent } from "@bizbot/shared";
import type { Transaction } from "kysely";
import { creditCall, release, settle } from "../credits/service.ts";
import type { DB } from "../db/schema.ts";
import { DomainError } from "../errors.ts";
import { search } from "../knowledge/search.ts";
import { LlmError, type LlmFailure } from "../llm/gateway.ts";
import { noUsage } from "../llm/models.ts";
import type { AgentContext, StepOutcome } from "./definition.ts";
import { PartialResult } from "./definition.ts";
import { definitionOf } from "./agents/index.ts";
import { RunModel } from "./model.ts";
import {
  abandonRun,
  addCost,
  appendStep,
  childRun,
  claimRun,
  saveCheckpoint,
  finishRun,
  findRunById,
  requeueRun,
  type RunRow,
  type Spent,
  strandedRuns,
} from "./repository.ts";
import { type AgentDeps, enqueueRun, giveTrialBack, MAX_RUN_ATTEMPTS, QUEUE_WAIT_SECONDS, startRun, waitForRun } from "./service.ts";
import { isFinished, runView } from "./views.ts";

/** A worker holds a run a quarter longer than its time limit (5 s at least), so that a slow finish is not taken for a dead worker. */
const leaseSeconds = (timeoutSeconds: number) => timeoutSeconds + Math.max(5, Math.ceil(timeoutSeconds / 4));
/** Output deltas are sent at most this often: one bus message per token would be most of a run's traffic. */
const OUTPUT_FLUSH_MS = 50;

/** Thrown to the job queue: this attempt failed for a passing reason, and the run is queued for another. */
export class RetryLater extends Error {
  override name = "RetryLater";
}

/** Failures of the model that a later attempt may not meet. */
const TRANSIENT: ReadonlySet<LlmFailure> = new Set(["rate_limited", "overloaded", "server", "timeout", "connection", "circuit_open"]);

/**
 * One attempt at a run, as the job queue calls it. The attempt claims the run (nothing happens if another worker
 * holds it or it has ended), runs the agent within its time limit and model budget, checks the output, and ends the
 * run: succeeded with its price settled, or failed with its hold released and a visitor's free run given back, in
 * the same transaction as the run's end. A passing failure puts the run back in the queue instead, while attempts
 * remain. Charging is once by construction: one hold per run, settled only by the attempt that ends the run.
 */
export async function executeRun(deps: AgentDeps, runId: string): Promise<void> {
  const unitSeconds = deps.agentTimeoutSeconds;
  const queued = await findRunById(deps.db, runId);
  if (!queued || isFinished(queued)) return;
  const agent = definitionOf(queued.agent_id as AgentId);
  const timeoutSeconds = unitSeconds * (agent.timeoutUnits ?? 1);
  const run = await claimRun(deps.db, runId, leaseSeconds(timeoutSeconds));
  if (!run) return;
  const attempt = run.attempts;
  if (attempt > MAX_RUN_ATTEMPTS) {
    return fail(
      deps,
      run,
      attempt,
      { code: "unavailable", message: `The run was interrupted ${MAX_RUN_ATTEMPTS} times; it was stopped and not charged` },
      noSpend(),
    );
  }
  if (!deps.llm) {
    return fail(
      deps,
      run,
      attempt,
      { code: "model_not_configured", message: "No AI model is configured on the worker (ANTHROPIC_API_KEY); nothing was charged" },
      noSpend(),
    );
  }
  deps.runEvents.publish({ type: "started", runId, attempt });

  const spec = findAgent(run.agent_id)!;
  const settings = await deps.settings.get(run.tenant_id);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new TimeoutError(timeoutSeconds)), timeoutSeconds * 1000);
  const output = new OutputStream((delta) => deps.runEvents.publish({ type: "output", runId, delta }));
  let stepsWritten: Promise<void> = Promise.resolve();
  const model = new RunModel({
    llm: deps.llm,
    limits: agent.limits,
    capUsd: (run.price * CREDIT_PRICE_USD) / 2,
    spentUsd: Number(run.cost_usd),
    instructions: settings.agents[spec.id].instructions,
    signal: controller.signal,
    onCost: (usd) => addCost(deps.db, runId, usd),
  });
  const ctx: AgentContext = {
    tenantId: run.tenant_id,
    runId,
    model,
    step: (name) => {
      deps.runEvents.publish({ type: "step", runId, name });
      // Kept on the run too, in order, for listeners that join after it was named.
      stepsWritten = stepsWritten
        .then(() => appendStep(deps.db, runId, name))
        .catch((error) => deps.log.warn({ err: error, runId }, "recording a step failed"));
    },
    output: (delta) => output.push(delta),
    search: async (query, limit) => (await search(deps, run.tenant_id, query, limit)).results,
    settings,
    // A visitor's run reaches only what the tenant offers visitors, through a workflow too.
    enabledAgents: Object.entries(settings.agents).flatMap(([id, s]) =>
      s.enabled && (run.source !== "widget" || s.visibility === "widget") ? [id as AgentId] : [],
    ),
    runStep: (index, agentId, input) => runStep(deps, run, index, agentId, input, controller.signal),
    checkpoint: async <T>(name: string, make: () => Promise<T>) => {
      if (Object.hasOwn(run.checkpoint, name)) return run.checkpoint[name] as T;
      const value = await make();
      await saveCheckpoint(deps.db, runId, name, value);
      run.checkpoint[name] = value;
      return value;
    },
    signal: controller.signal,
    log: deps.log.child({ runId, agentId: run.agent_id }),
  };
  const spent = (): Spent => ({ model: model.model, calls: model.calls, usage: model.usage });
  try {
    const raw = await untilAborted(agent.run(spec.input.parse(run.input), ctx), controller.signal);
    output.flush();
    await stepsWritten;
    const checked = spec.output.safeParse(raw);
    if (!checked.success) {
      ctx.log.error({ issues: checked.error.issues.slice(0, 5) }, "an agent's output did not match its schema");
      throw new DomainError("internal", "The agent's result was malformed; the run was not charged");
    }
    await succeed(deps, run, attempt, checked.data, spent());
  } catch (error) {
    output.flush();
    const failure = describeFailure(error);
    if (failure.code === "internal" && !(error instanceof DomainError)) ctx.log.error({ err: error }, "an agent run failed");
    if (failure.transient && attempt < MAX_RUN_ATTEMPTS) {
      if (await requeueRun(deps.db, runId, attempt, failure, spent())) throw new RetryLater(failure.message);
      return;
    }
    await fail(deps, run, attempt, failure, spent(), error instanceof PartialResult ? error.partial : undefined);
  } finally {
    clearTimeout(timer);
  }
}

async function succeed(deps: AgentDeps, run: RunRow, attempt: number, output: unknown, spent: Spent): Promise<void> {
  const charge = run.billing === "credits" ? run.price : 0;
  const ended = await deps.db.transaction().execute(async (trx) => {
    const done = await finishRun(trx, run.id, attempt, { status: "succeeded", output, error: null, creditsCharged: charge, spent });
    // Another worker took the run over (this one outlived its lease): its attempt will end the run.
    if (!done || !run.hold_id || charge === 0) return done;
    try {
      await settle({ db: trx, metrics: deps.metrics }, creditCall(run.tenant_id, "run", run.id, "settle"), run.hold_id, charge);
      return done;
    } catch (error) {
      // The hold has expired and its credits went back: the tenant keeps them, and the run says it cost nothing.
      if (!(error instanceof DomainError)) throw error;
      deps.log.warn({ runId: run.id, err: error }, "a run's hold could not be settled; the run is recorded as free");
      return (await trx.updateTable("agent_runs").set({ credits_charged: 0 }).where("id", "=", run.id).returningAll().executeTakeFirst())!;
    }
  });
  if (ended) deps.runEvents.publish({ type: "succeeded", run: runView(ended) });
}

async function fail(deps: AgentDeps, run: RunRow, attempt: number, error: { code: string; message: string }, spent: Spent, partial?: unknown): Promise<void> {
  const ended = await deps.db.transaction().execute(async (trx) => {
    const done = await finishRun(trx, run.id, attempt, {
      status: "failed",
      output: partial ?? null,
      error: { code: error.code, message: error.message },
      creditsCharged: 0,
      spent,
    });
    if (!done) return done;
    await releaseHold(deps, trx, run);
    await giveTrialBack(deps, run, trx);
    return done;
  });
  if (ended) deps.runEvents.publish({ type: "failed", run: runView(ended) });
}

/** Frees a failed run's held price; a hold that already expired has gone back to the tenant on its own. */
async function releaseHold(deps: AgentDeps, trx: Transaction<DB>, run: Pick<RunRow, "hold_id" | "tenant_id" | "id">): Promise<void> {
  if (!run.hold_id) return;
  try {
    await release({ db: trx, metrics: deps.metrics }, creditCall(run.tenant_id, "run", run.id, "release"), run.hold_id);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
  }
}

interface Failure {
  code: "invalid_input" | "unavailable" | "internal" | "model_not_configured" | "payment_required" | "forbidden";
  message: string;
  transient: boolean;
}

function describeFailure(error: unknown): Failure {
  if (error instanceof TimeoutError) return { code: "unavailable", message: error.message, transient: true };
  if (error instanceof LlmError) {
    const transient = TRANSIENT.has(error.failure);
    return { code: error.failure === "invalid_request" ? "internal" : "unavailable", message: `The AI model failed: ${error.message}`, transient };
  }
  if (error instanceof DomainError) return { code: error.reason as Failure["code"], message: error.message, transient: false };
  // A database blip, say: worth another attempt, whose model spend still counts against the same cap.
  return { code: "internal", message: "The agent failed unexpectedly; the run was not charged", transient: true };
}

class TimeoutError extends Error {
  constructor(seconds: number) {
    super(`The run took over ${seconds} s`);
  }
}

/** The agent's promise, or the abort's reason as soon as the signal fires (an agent between awaits may not look). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) return abort();
    signal.addEventListener("abort", abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", abort));
  });
}

/** Collects output deltas and sends them together, a flush at most every OUTPUT_FLUSH_MS. */
class OutputStream {
  private buffer = "";
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly send: (delta: string) => void) {}

  push(delta: string) {
    this.buffer += delta;
    this.timer ??= setTimeout(() => this.flush(), OUTPUT_FLUSH_MS);
  }

  flush() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.buffer) this.send(this.buffer);
    this.buffer = "";
  }
}

const noSpend = (): Spent => ({ model: null, calls: 0, usage: noUsage() });

/**
 * A workflow's step: a run of its own (charged at its own price, from the tenant's credits), started once under a
 * key made of the workflow and the step, and run here, inline. When the workflow is retried, a step that already
 * ended is not run again; one that another worker holds is waited for.
 */
async function runStep(deps: AgentDeps, parent: RunRow, index: number, agentId: AgentId, input: unknown, signal: AbortSignal): Promise<StepOutcome> {
  // An attempt past its time limit starts no more steps: the attempt after it carries on.
  if (signal.aborted) throw signal.reason;
  let child = await childRun(deps.db, parent.id, index);
  if (child && child.agent_id !== agentId) {
    return { runId: child.id, status: "failed", creditsCharged: child.credits_charged, output: null, error: `Step ${index + 1} already ran another agent` };
  }
  if (!child) {
    try {
      child = await startRun(
        deps,
        {
          tenantId: parent.tenant_id,
          agentId,
          input,
          source: "workflow",
          actor: { type: "system", id: parent.id },
          idempotencyKey: `workflow:${parent.id}:${index}`,
          parent: { runId: parent.id, index },
        },
        { enqueue: false },
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { runId: null, status: "failed", creditsCharged: 0, output: null, error: error.message };
    }
  }
  if (!isFinished(child)) {
    try {
      await executeRun(deps, child.id);
    } catch (error) {
      if (!(error instanceof RetryLater)) throw error;
      await enqueueRun(deps, child.id);
    }
    const stepSeconds = deps.agentTimeoutSeconds * (definitionOf(agentId).timeoutUnits ?? 1) * MAX_RUN_ATTEMPTS + 60;
    child = await waitForRun(deps, child, stepSeconds * 1000);
    if (signal.aborted) throw signal.reason;
  }
  const view = runView(child);
  if (view.status === "succeeded") return { runId: child.id, status: "succeeded", creditsCharged: view.creditsCharged, output: view.output, error: null };
  return {
    runId: child.id,
    status: "failed",
    creditsCharged: view.creditsCharged,
    output: null,
    error: view.error?.message ?? `The step is still ${view.status}`,
  };
}

/** A queued run older than this has lost its job (or never got one): it is queued again. */
const QUEUED_GRACE_MS = 60_000;
/** A queued run this old has waited long enough: it is ended instead, and released, well before its hold would expire. */
const QUEUED_TOO_LONG_MS = QUEUE_WAIT_SECONDS * 1000;

/**
 * Finds runs whose work was lost: queued without a job for a minute (a crash between storing and queueing, an
 * embedded server stopped), or running past the lease of a worker that died. Each is queued again; the next attempt
 * claims it (or, with no attempts left, fails it and releases its hold). A run that waited in the queue so long its
 * hold would expire is ended, released. Several instances may sweep at once: claims decide who works a run.
 */
export async function sweepRuns(deps: AgentDeps): Promise<number> {
  const stranded = await strandedRuns(deps.db, new Date(Date.now() - QUEUED_GRACE_MS), 100);
  for (const run of stranded) {
    if (run.status === "queued" && run.created_at.getTime() < Date.now() - QUEUED_TOO_LONG_MS) {
      await abandon(deps, run.id);
      continue;
    }
    // A run whose worker died may still have its job, held by the dead worker until the queue notices: a job of
    // another id takes it up now (whichever job comes second finds the run claimed or ended, and does nothing).
    await enqueueRun(deps, run.id, run.status === "running" ? `retry-${run.attempts}` : undefined);
  }
  return stranded.length;
}

async function abandon(deps: AgentDeps, runId: string): Promise<void> {
  const message = "The run waited too long for a worker; it was stopped and not charged";
  const ended = await deps.db.transaction().execute(async (trx) => {
    const done = await abandonRun(trx, runId, { code: "unavailable", message });
    if (!done) return done;
    await releaseHold(deps, trx, done);
    await giveTrialBack(deps, done, trx);
    return done;
  });
  if (ended) deps.runEvents.publish({ type: "failed", run: runView(ended) });
}
