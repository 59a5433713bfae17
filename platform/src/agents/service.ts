import { type AgentId, agents, findAgent, type RunEvent } from "@bizbot/shared";
import type { Kysely, Transaction } from "kysely";
import type { Logger } from "pino";
import { insertAudit } from "../audit/repository.ts";
import { type CreditDeps, creditCall, debit, hold } from "../credits/service.ts";
import type { DB } from "../db/schema.ts";
import { DomainError, forbidden, notFound } from "../errors.ts";
import type { JobQueue } from "../jobs/queue.ts";
import { knowledgeVersion } from "../knowledge/repository.ts";
import type { SemanticIndex } from "../knowledge/semantic.ts";
import { Channel } from "../lib/channel.ts";
import type { Metrics } from "../lib/metrics.ts";
import { sha256Hex } from "../lib/crypto.ts";
import { fieldErrors, summarizeFields } from "../lib/issues.ts";
import { newId } from "../lib/ids.ts";
import type { LlmGateway } from "../llm/gateway.ts";
import { offeredInWidget, type SettingsStore } from "../tenants/settings.ts";
import type { VisitorIdentity } from "../trials/identity.ts";
import { returnVisitorRun } from "../trials/repository.ts";
import { type TrialDeps, takeTrialRun, trialStatus } from "../trials/service.ts";
import { definitionOf } from "./agents/index.ts";
import { CACHE_TTL_MS, cacheKey, canonicalJson } from "./cache.ts";
import type { RunEvents } from "./events.ts";
import { findCachedAnswer, findRun, findRunByKey, insertRun, listRuns, type NewRun, type RunRow, setHold } from "./repository.ts";
import { isFinished, runView } from "./views.ts";

/** Attempts a run gets: transient failures (the model overloaded, a worker gone) are tried again up to here. */
export const MAX_RUN_ATTEMPTS = 3;

export interface AgentDeps extends Omit<CreditDeps, "metrics">, Omit<TrialDeps, "metrics"> {
  db: Kysely<DB>;
  metrics: Metrics;
  settings: SettingsStore;
  semantic: SemanticIndex | null;
  /** null without a model: every run is refused, before anything is stored or charged. */
  llm: LlmGateway | null;
  jobs: JobQueue;
  runEvents: RunEvents;
  log: Logger;
  /** A run attempt's time limit (AGENT_TIMEOUT_SECONDS), in units of which each agent has one or more. */
  agentTimeoutSeconds: number;
}

/** A run waits in a busy queue at most this long before the sweeper ends it, released (runner.ts). */
export const QUEUE_WAIT_SECONDS = 45 * 60;

/**
 * How long a run's price is held: past every attempt's time limit, the retries' waits and the longest wait in the
 * queue, so that a run still going never finds its hold expired (then it would run for free). A day at most.
 */
export function holdSeconds(timeoutSeconds: number, attempts: number): number {
  return Math.min(24 * 60 * 60, QUEUE_WAIT_SECONDS + Math.ceil(timeoutSeconds * 1.25 + 5) * attempts + 60);
}

export interface RunRequest {
  tenantId: string;
  agentId: string;
  input: unknown;
  source: "api" | "portal" | "widget" | "workflow";
  actor: { type: "user" | "api_key" | "visitor" | "system"; id: string | null };
  /** The same key and request is the same run, charged once; the same key and another request is a conflict. */
  idempotencyKey?: string | undefined;
  /** A widget visitor: free trial runs, the widget-only check, their own runs. */
  visitor?: VisitorIdentity | undefined;
  /** A step of a workflow. */
  parent?: { runId: string; index: number } | undefined;
}

/**
 * Starts a run: checks the agent, the model and the input; answers from the response cache when it can; otherwise
 * takes the visitor's free run or holds the price, stores the run as queued and queues it. A refused request stores
 * and charges nothing. With an idempotency key, a repeat (even concurrent) gets the first run back.
 */
export async function startRun(deps: AgentDeps, request: RunRequest, options: { enqueue?: boolean } = {}): Promise<RunRow> {
  const agent = findAgent(request.agentId);
  if (!agent) throw notFound(`Agent "${request.agentId}"`);
  if (!deps.llm) throw new DomainError("model_not_configured", "Agents need an AI model, and none is configured here (ANTHROPIC_API_KEY); nothing was charged");
  const settings = await deps.settings.get(request.tenantId);
  const agentSettings = settings.agents[agent.id];
  if (!agentSettings.enabled) throw forbidden(`The ${agent.name} agent is not enabled; an owner or admin can enable it in the portal`);
  if (request.source === "widget" && agentSettings.visibility !== "widget") throw forbidden(`The ${agent.name} agent is not offered in the widget`);
  const parsed = agent.input.safeParse(request.input);
  if (!parsed.success) {
    const fields = fieldErrors(parsed.error.issues, "input");
    throw new DomainError("invalid_input", `Invalid input: ${summarizeFields(fields)}`, { fields });
  }
  const input = parsed.data;
  const requestHash = sha256Hex(canonicalJson([agent.id, input]));
  if (request.idempotencyKey) {
    const existing = await findRunByKey(deps.db, request.tenantId, request.idempotencyKey);
    if (existing) return sameRequest(existing, requestHash);
  }

  const definition = definitionOf(agent.id);
  const key = definition.cache
    ? cacheKey({
        agentId: agent.id,
        input,
        instructions: agentSettings.instructions,
        model: deps.llm.model,
        knowledge: definition.cache === "knowledge" ? await knowledgeVersion(deps.db, request.tenantId) : null,
      })
    : null;
  const billing = request.visitor && request.source === "widget" ? await visitorBilling(deps, request, agent.id, agentSettings.afterTrial) : "credits";
  let trialTaken = billing === "trial";
  const base: NewRun = {
    id: newId("run"),
    // In milliseconds, as the page cursor (which carries it) is: now() would add microseconds a cursor cannot hold.
    created_at: new Date(),
    tenant_id: request.tenantId,
    agent_id: agent.id,
    status: "queued",
    input: JSON.stringify(input),
    source: request.source,
    actor_type: request.actor.type,
    actor_id: request.actor.id,
    visitor_hash: request.visitor?.hash ?? null,
    billing,
    price: agent.credits,
    cache_key: key,
    idempotency_key: request.idempotencyKey ?? null,
    request_hash: requestHash,
    parent_run_id: request.parent?.runId ?? null,
    step_index: request.parent?.index ?? null,
  };
  try {
    const cached = key ? await findCachedAnswer(deps.db, request.tenantId, agent.id, key, new Date(Date.now() - CACHE_TTL_MS)) : undefined;
    const run = cached
      ? await insertCacheHit(deps, base, cached, billing === "credits" ? (agentSettings.cachedRunCredits ?? Math.ceil(agent.credits / 2)) : 0)
      : await insertQueued(deps, base, holdSeconds(deps.agentTimeoutSeconds * (definition.timeoutUnits ?? 1), MAX_RUN_ATTEMPTS));
    if (!run) {
      // Another request with this key got in first; its run is the answer, and its charge the only one.
      trialTaken = false;
      await giveTrialBack(deps, base);
      return sameRequest((await findRunByKey(deps.db, request.tenantId, request.idempotencyKey!))!, requestHash);
    }
    deps.runEvents.publish({ type: "queued", run: runView(run) });
    if (isFinished(run)) {
      deps.runEvents.publish({ type: "succeeded", run: runView(run) });
      return run;
    }
    if (options.enqueue !== false) await enqueueRun(deps, run.id);
    return run;
  } catch (error) {
    if (trialTaken) await giveTrialBack(deps, base);
    throw error;
  }
}

/** The run under a key, if it was asked for the same thing; the key's reuse for anything else is refused. */
function sameRequest(existing: RunRow, requestHash: string): RunRow {
  if (existing.request_hash !== requestHash) {
    throw new DomainError("conflict", "This Idempotency-Key was already used for another request; use a new key for a new run");
  }
  return existing;
}

/** How a widget visitor's run is paid: a free run while they last, then the paywall or the tenant's credits. */
async function visitorBilling(deps: AgentDeps, request: RunRequest, agentId: AgentId, afterTrial: "paywall" | "charge"): Promise<"trial" | "credits"> {
  const trial = await takeTrialRun(deps, request.tenantId, agentId, request.visitor!);
  if (trial.granted) return "trial";
  if (afterTrial === "charge") return "credits";
  throw new DomainError("payment_required", "You have used your free runs of this agent; sign in or sign up to keep using it", {
    trial: { freeRuns: trial.freeRuns, remaining: trial.remaining, refusal: trial.refusal },
  });
}

/** A failed or refused run gives the visitor's free run back. */
export async function giveTrialBack(deps: AgentDeps, run: Pick<NewRun, "billing" | "tenant_id" | "agent_id" | "visitor_hash">, db: Kysely<DB> = deps.db) {
  if (run.billing === "trial" && run.visitor_hash) await returnVisitorRun(db, run.tenant_id, run.agent_id, run.visitor_hash);
}

/** The run and its held price, in one transaction: a run is never stored unpaid, nor paid for without being stored. */
async function insertQueued(deps: AgentDeps, base: NewRun, holdFor: number): Promise<RunRow | undefined> {
  return deps.db.transaction().execute(async (trx) => {
    const run = await insertRun(trx, base);
    if (run) await auditStartedByPerson(trx, run);
    if (run?.billing !== "credits") return run;
    // Inside the transaction: a refusal (not enough credits) leaves no run behind. The key is the new run's own.
    const held = await hold({ db: trx, metrics: deps.metrics }, creditCall(run.tenant_id, "run", run.id, "hold"), run.price, run.id, holdFor);
    await setHold(trx, run.id, held.holdId);
    return { ...run, hold_id: held.holdId };
  });
}

/**
 * A run a person started in the portal goes in the audit log with the run: who spent the credits. Runs from servers
 * (API keys), visitors and workflows are automation, recorded by the run itself (its source and actor).
 */
async function auditStartedByPerson(trx: Transaction<DB>, run: RunRow): Promise<void> {
  if (run.actor_type !== "user") return;
  await insertAudit(
    trx,
    { type: "user", id: run.actor_id },
    {
      tenantId: run.tenant_id,
      action: "agent.run_started",
      target: { type: "run", id: run.id },
      metadata: { agentId: run.agent_id, price: run.price, cached: run.cached },
    },
  );
}

/** A response-cache hit: finished at once with the stored output, charged the cached-run price in the same transaction. */
async function insertCacheHit(deps: AgentDeps, base: NewRun, source: RunRow, credits: number): Promise<RunRow | undefined> {
  return deps.db.transaction().execute(async (trx) => {
    const now = new Date();
    const run = await insertRun(trx, {
      ...base,
      status: "succeeded",
      output: JSON.stringify(source.output),
      cached: true,
      cached_from: source.id,
      credits_charged: credits,
      started_at: now,
      finished_at: now,
      duration_ms: 0,
    });
    if (run) await auditStartedByPerson(trx, run);
    // The ledger entry says what it paid for: a cache hit, and its run.
    if (run && credits > 0) await debit({ db: trx, metrics: deps.metrics }, creditCall(run.tenant_id, "run", run.id, "debit"), credits, `cache-hit:${run.id}`);
    return run;
  });
}

/** Queues a run's next attempt; the job's id is the run's (and `suffix`), so queueing it twice while it waits is one job. */
export async function enqueueRun(deps: Pick<AgentDeps, "jobs" | "log">, runId: string, suffix?: string): Promise<void> {
  try {
    await deps.jobs.enqueue("agentRun", { runId }, suffix ? `run-${runId}-${suffix}` : `run-${runId}`);
  } catch (error) {
    // Stored as queued: the sweeper (runner.ts) queues it again.
    deps.log.warn({ err: error, runId }, "queueing a run failed; the sweeper will queue it");
  }
}

export async function getRun(db: Kysely<DB>, tenantId: string, runId: string, visitorHash?: string): Promise<RunRow> {
  const run = await findRun(db, tenantId, runId);
  // A visitor sees only their own runs; another's is indistinguishable from none.
  if (!run || (visitorHash !== undefined && run.visitor_hash !== visitorHash)) throw notFound("Run");
  return run;
}

/** Waits up to `ms` for the run to finish, by its events and, in case one is lost, by reading it every second. */
export async function waitForRun(deps: Pick<AgentDeps, "db" | "runEvents">, run: RunRow, ms: number): Promise<RunRow> {
  if (isFinished(run) || ms <= 0) return run;
  const deadline = Date.now() + ms;
  let wake: () => void = () => {};
  const stop = deps.runEvents.listen(run.id, (event) => {
    if (event.type === "succeeded" || event.type === "failed") wake();
  });
  try {
    for (;;) {
      const latest = (await findRun(deps.db, run.tenant_id, run.id)) ?? run;
      const left = deadline - Date.now();
      if (isFinished(latest) || left <= 0) return latest;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    stop();
  }
}

/**
 * A run's events from now on: first the run as it stands (a `queued` event, or its end when it has ended), then
 * what happens to it until it ends. Events come over the bus from whichever instance works the run; the run is also
 * read every two seconds, so that a lost event cannot leave a listener waiting for ever.
 */
export async function* runEvents(deps: Pick<AgentDeps, "db" | "runEvents">, run: RunRow, signal?: AbortSignal): AsyncGenerator<RunEvent> {
  const channel = new Channel<RunEvent>();
  const stop = deps.runEvents.listen(run.id, (event) => channel.push(event));
  const poll = setInterval(async () => {
    const latest = await findRun(deps.db, run.tenant_id, run.id).catch(() => undefined);
    if (latest && isFinished(latest)) channel.push({ type: latest.status === "succeeded" ? "succeeded" : "failed", run: runView(latest) });
  }, 2000);
  const end = () => channel.end();
  signal?.addEventListener("abort", end, { once: true });
  try {
    const latest = (await findRun(deps.db, run.tenant_id, run.id)) ?? run;
    if (isFinished(latest)) {
      yield { type: latest.status === "succeeded" ? "succeeded" : "failed", run: runView(latest) };
      return;
    }
    yield { type: "queued", run: runView(latest) };
    for await (const event of channel) {
      // The snapshot above already said it was queued.
      if (event.type === "queued") continue;
      yield event;
      if (event.type === "succeeded" || event.type === "failed") return;
    }
  } finally {
    stop();
    clearInterval(poll);
    signal?.removeEventListener("abort", end);
  }
}

export async function runPage(
  db: Kysely<DB>,
  query: { tenantId: string; agentId?: string | undefined; visitorHash?: string | undefined; cursor?: string | undefined; limit: number },
) {
  const rows = await listRuns(db, { ...query, after: decodeCursor(query.cursor), limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { runs: page.map(runView), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}

const encodeCursor = (row: RunRow) => Buffer.from(JSON.stringify([row.created_at.toISOString(), row.id])).toString("base64url");

function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    const date = new Date(createdAt);
    if (typeof id !== "string" || Number.isNaN(date.getTime())) throw new Error("bad cursor");
    return { createdAt: date, id };
  } catch {
    throw new DomainError("invalid_input", "The cursor is not one this API gave out", { fields: { cursor: ["is not valid"] } });
  }
}

/** The agents a widget visitor is offered, with their free runs left. */
export async function widgetAgents(deps: AgentDeps, tenantId: string, visitor: VisitorIdentity) {
  const settings = await deps.settings.get(tenantId);
  const offered = agents.filter((a) => offeredInWidget(settings, a.id));
  return Promise.all(
    offered.map(async (a) => {
      const trial = await trialStatus(deps, tenantId, a.id, visitor);
      return { agent: a, freeRuns: trial.freeRuns, remaining: trial.remaining, afterTrial: settings.agents[a.id].afterTrial };
    }),
  );
}
