import { Queue, Worker, createPostgresBackend, type Job } from "bullmq";
import type { Logger } from "pino";

/** Background work: one handler per job name, each run at least once (so each must be safe to run twice). */
export interface JobHandlers {
  /** Brings a document's indexes up to date with one of its revisions (knowledge/ingest.ts). */
  ingest(data: { documentId: string; revision: number }, attempt: Attempt): Promise<void>;
  /** One attempt at an agent run (agents/runner.ts); it throws to have the run tried again later. */
  agentRun(data: { runId: string }, attempt: Attempt): Promise<void>;
}

export type JobName = keyof JobHandlers;

export interface Attempt {
  /** 1 for the first run. */
  number: number;
  /** No run follows this one if it throws: the handler records the failure itself. */
  final: boolean;
}

export interface JobQueue {
  /**
   * Queues a job. The same `jobId` while one is still waiting is one job, not two, so a caller may enqueue again
   * whenever it is unsure (after a crash, say). Ids name a piece of work (a document's revision), not a thing.
   */
  enqueue<N extends JobName>(name: N, data: Parameters<JobHandlers[N]>[0], jobId: string): Promise<void>;
  close(): Promise<void>;
}

export interface QueueOptions {
  /** false: this process only queues jobs (the CLI, a server told not to); workers run them. */
  run: boolean;
  /** Jobs of one name a process runs at once; agent runs mostly wait on the model, so they take more. */
  concurrency: Record<JobName, number>;
}

export const JOB_ATTEMPTS = 3;
const retryDelayMs = (attempt: number) => 1000 * 4 ** (attempt - 1);

/**
 * BullMQ on its PostgreSQL backend: jobs live in the database (schema `bullmq`) beside the documents they index, so
 * losing Redis loses no job, and every instance both queues and works. The schema is migrated by BullMQ itself.
 */
export function createBullmqQueue(databaseUrl: string, handlers: JobHandlers, log: Logger, options: QueueOptions): JobQueue {
  const connection = { connection: { connectionString: databaseUrl, migrate: true } };
  const openQueue = (name: JobName) => new Queue(name, connection, createPostgresBackend);
  const queues = new Map<JobName, ReturnType<typeof openQueue>>();
  const workers: Array<{ close(): Promise<void> }> = [];
  for (const name of Object.keys(handlers) as JobName[]) {
    queues.set(name, openQueue(name));
    if (!options.run) continue;
    const worker = new Worker(
      name,
      async (job: Job) => {
        const number = job.attemptsMade + 1;
        await handlers[name](job.data, { number, final: number >= JOB_ATTEMPTS });
      },
      { ...connection, concurrency: options.concurrency[name] },
      createPostgresBackend,
    );
    worker.on("error", (error) => log.warn({ err: error, queue: name }, "job worker error"));
    workers.push(worker);
  }
  return {
    async enqueue(name, data, jobId) {
      await queues.get(name)!.add(name, data, {
        jobId,
        attempts: JOB_ATTEMPTS,
        backoff: { type: "exponential", delay: retryDelayMs(1) },
        // Gone once done or failed, so that the same id may be queued again (a resumed document, say).
        removeOnComplete: true,
        removeOnFail: true,
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}

/**
 * The embedded mode's runner: jobs run in this process with the same retries, up to `concurrency` of a name at once,
 * the rest waiting in order. Jobs lost with the process (or queued by the CLI, which runs none) are found again by
 * the sweepers (knowledge/ingest.ts `resumeIngestion`, agents/runner.ts `sweepRuns`).
 */
export function createInlineQueue(handlers: JobHandlers, log: Logger, options: QueueOptions): JobQueue {
  const queued = new Set<string>();
  const waiting = new Map<JobName, Array<() => Promise<void>>>();
  const active = new Map<JobName, number>();
  const running = new Set<Promise<void>>();
  let closed = false;
  const attempts = async <N extends JobName>(name: N, data: Parameters<JobHandlers[N]>[0]) => {
    for (let number = 1; number <= JOB_ATTEMPTS && !closed; number++) {
      try {
        await handlers[name](data as never, { number, final: number >= JOB_ATTEMPTS });
        return;
      } catch (error) {
        log.warn({ err: error, job: name, attempt: number }, "job failed; retrying");
        if (number < JOB_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, retryDelayMs(number)));
      }
    }
  };
  const next = (name: JobName) => {
    const lane = waiting.get(name) ?? [];
    while (!closed && lane.length && (active.get(name) ?? 0) < options.concurrency[name]) {
      const job = lane.shift()!;
      active.set(name, (active.get(name) ?? 0) + 1);
      const done = job().finally(() => {
        running.delete(done);
        active.set(name, active.get(name)! - 1);
        next(name);
      });
      running.add(done);
    }
  };
  return {
    async enqueue(name, data, jobId) {
      if (!options.run || closed || queued.has(jobId)) return;
      queued.add(jobId);
      const lane = waiting.get(name) ?? [];
      waiting.set(name, lane);
      lane.push(() => {
        queued.delete(jobId);
        return attempts(name, data);
      });
      next(name);
    },
    async close() {
      closed = true;
      await Promise.all(running);
    },
  };
}
