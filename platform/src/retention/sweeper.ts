import type { Kysely } from "kysely";
import type { Logger } from "pino";
import type { DB } from "../db/schema.ts";
import { retentionOf } from "../tenants/settings.ts";

const DAY_MS = 24 * 60 * 60 * 1000;
const SWEEP_MS = 10 * 60_000;
/** Rows changed per statement: each batch is a short transaction of its own, so no lock is held for long. */
const BATCH = 500;
const TENANT_PAGE = 500;

export interface RetentionOptions {
  batchSize?: number;
  intervalMs?: number;
}

export interface SweepResult {
  runsPurged: number;
  conversationsDeleted: number;
}

/**
 * Applies each tenant's retention settings: clears the input and output of agent runs older than agentInputDays
 * (their accounting stays, and `purged_at` says when), and deletes conversations, with their messages, whose last
 * activity is older than conversationDays. Runs still queued or running are never touched. Rows are taken in batches
 * with SKIP LOCKED, so several instances may sweep at once: each row is cleared or deleted by one of them.
 */
export class RetentionSweeper {
  private readonly batch: number;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | null = null;
  private closed = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly log: Logger,
    options: RetentionOptions = {},
  ) {
    this.batch = options.batchSize ?? BATCH;
    this.intervalMs = options.intervalMs ?? SWEEP_MS;
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer, and a sweep under way at its next batch. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.sweeping;
  }

  private kick(): void {
    if (this.closed || this.sweeping) return;
    this.sweeping = this.sweep()
      .then((result) => {
        if (result.runsPurged || result.conversationsDeleted) this.log.info(result, "retention applied");
      })
      .catch((error: unknown) => this.log.warn({ err: error }, "retention sweep failed"))
      .finally(() => {
        this.sweeping = null;
      });
  }

  /** One pass over every tenant, as of `now`. */
  async sweep(now: Date = new Date()): Promise<SweepResult> {
    const result: SweepResult = { runsPurged: 0, conversationsDeleted: 0 };
    let after = "";
    for (;;) {
      const tenants = await this.db
        .selectFrom("tenants as t")
        .leftJoin("tenant_settings as s", "s.tenant_id", "t.id")
        .select(["t.id", "s.retention"])
        .where("t.id", ">", after)
        .orderBy("t.id")
        .limit(TENANT_PAGE)
        .execute();
      for (const tenant of tenants) {
        if (this.closed) return result;
        const retention = retentionOf(tenant.retention);
        result.runsPurged += await this.purgeRuns(tenant.id, new Date(now.getTime() - retention.agentInputDays * DAY_MS), now);
        if (retention.conversationDays !== null) {
          result.conversationsDeleted += await this.deleteConversations(tenant.id, new Date(now.getTime() - retention.conversationDays * DAY_MS));
        }
      }
      if (tenants.length < TENANT_PAGE) return result;
      after = tenants.at(-1)!.id;
    }
  }

  private async purgeRuns(tenantId: string, before: Date, now: Date): Promise<number> {
    let total = 0;
    while (!this.closed) {
      const updated = await this.db
        .updateTable("agent_runs")
        .set({ input: "{}", output: null, steps: "[]", checkpoint: "{}", purged_at: now })
        .where("id", "in", (eb) =>
          eb
            .selectFrom("agent_runs")
            .select("id")
            .where("tenant_id", "=", tenantId)
            .where("purged_at", "is", null)
            .where("created_at", "<", before)
            .where("status", "in", ["succeeded", "failed"])
            // Finished past the cutoff too: a run's output answers the response cache for a day after it finished.
            .where((w) => w.or([w("finished_at", "is", null), w("finished_at", "<", before)]))
            .orderBy("created_at")
            .limit(this.batch)
            .forUpdate()
            .skipLocked(),
        )
        .executeTakeFirst();
      const n = Number(updated.numUpdatedRows);
      total += n;
      if (n < this.batch) break;
    }
    return total;
  }

  private async deleteConversations(tenantId: string, before: Date): Promise<number> {
    let total = 0;
    while (!this.closed) {
      // Messages go with their conversation (on delete cascade).
      const deleted = await this.db
        .deleteFrom("conversations")
        .where("id", "in", (eb) =>
          eb
            .selectFrom("conversations")
            .select("id")
            .where("tenant_id", "=", tenantId)
            .where("updated_at", "<", before)
            .orderBy("updated_at")
            .limit(this.batch)
            .forUpdate()
            .skipLocked(),
        )
        .executeTakeFirst();
      const n = Number(deleted.numDeletedRows);
      total += n;
      if (n < this.batch) break;
    }
    return total;
  }
}
