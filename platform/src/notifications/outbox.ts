import { sql, type Kysely, type Selectable, type Transaction } from "kysely";
import { createTransport, type Transporter } from "nodemailer";
import type { Logger } from "pino";
import type { DB, NotificationOutboxTable } from "../db/schema.ts";
import { newId } from "../lib/ids.ts";
import type { FetchPolicy } from "../lib/ssrf.ts";
import { chatSecrets } from "../tenants/secrets.ts";
import { postWebhook } from "./webhook.ts";

export interface Notification {
  /** null only for the platform's own e-mail to a person (a password reset); a webhook is always a tenant's. */
  tenantId: string | null;
  kind: string;
  channel: "email" | "webhook";
  /** An e-mail address, or a webhook URL. */
  target: string;
  /** For e-mail: {subject, text}; for a webhook: the JSON body. */
  payload: Record<string, unknown>;
}

/** Queues a notification in the caller's transaction: it is sent only if what caused it is committed. */
export async function enqueueNotification(trx: Transaction<DB>, n: Notification): Promise<void> {
  await trx
    .insertInto("notification_outbox")
    .values({ id: newId("notification"), tenant_id: n.tenantId, kind: n.kind, channel: n.channel, target: n.target, payload: JSON.stringify(n.payload) })
    .execute();
}

/** Attempts before a notification is given up on: about a day of backing off (30 s doubling to an hour, then hourly). */
const MAX_ATTEMPTS = 30;
const SWEEP_MS = 5_000;
/**
 * Rows claimed at once, sent one after another. A claim holds its rows for LEASE_SECONDS, longer than a whole batch
 * can take (a webhook's 10 s deadline; SMTP's timeouts below), so no other instance sends them meanwhile; a crash
 * mid-batch means they go again once the lease runs out.
 */
const BATCH = 10;
const LEASE_SECONDS = 15 * 60;
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

type Row = Selectable<NotificationOutboxTable>;

/**
 * Sends the outbox: e-mail over SMTP (when SMTP_URL is set; until then e-mails wait), webhooks signed with the
 * tenant's webhook secret. Rows are claimed with SKIP LOCKED under a lease, so several instances share the work and
 * a crash mid-send means a retry, not a loss; a failed send is tried again with backoff.
 */
export class OutboxSender {
  private readonly mailer: Transporter | null;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<number> | null = null;
  private again = false;
  private closed = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly log: Logger,
    private readonly options: { smtpUrl: string | undefined; from: string; fetchPolicy: FetchPolicy },
  ) {
    this.mailer = options.smtpUrl ? createTransport({ url: options.smtpUrl, ...SMTP_TIMEOUTS }) : null;
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), SWEEP_MS);
    this.timer.unref();
  }

  /** Sends what is due now, soon; calls while a drain runs make it run once more. */
  kick(): void {
    if (this.closed) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((error: unknown) => {
        this.log.warn({ err: error }, "sending notifications failed");
        return 0;
      })
      .finally(() => {
        this.draining = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Sends every due notification; resolves with how many went out. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.claim();
      if (batch.length === 0) return sent;
      for (const row of batch) if (await this.send(row)) sent++;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.draining;
    this.mailer?.close();
  }

  private async claim(): Promise<Row[]> {
    const channels = this.mailer ? ["email", "webhook"] : ["webhook"];
    const result = await sql<Row>`
      update notification_outbox
      set attempts = attempts + 1, next_attempt_at = now() + interval '1 second' * ${LEASE_SECONDS}
      where id in (
        select id from notification_outbox
        where status = 'pending' and next_attempt_at <= now() and channel in (${sql.join(channels)})
        order by next_attempt_at
        limit ${BATCH}
        for update skip locked
      )
      returning *`.execute(this.db);
    return result.rows;
  }

  private async send(row: Row): Promise<boolean> {
    try {
      if (row.channel === "email") {
        const { subject, text } = row.payload as { subject: string; text: string };
        await this.mailer!.sendMail({ from: this.options.from, to: row.target, subject, text });
      } else {
        // A CHECK keeps webhooks to rows with a tenant.
        const { webhookSecret } = await chatSecrets(this.db, row.tenant_id!);
        await postWebhook(row.target, { id: row.id, event: row.kind, body: JSON.stringify(row.payload), secret: webhookSecret }, this.options.fetchPolicy);
      }
      await this.db.updateTable("notification_outbox").set({ status: "sent", sent_at: new Date(), last_error: null }).where("id", "=", row.id).execute();
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const failed = row.attempts >= MAX_ATTEMPTS;
      await this.db
        .updateTable("notification_outbox")
        .set({
          last_error: message.slice(0, 500),
          // Backoff from the failure, not from the claim: a slow batch must not leave its failures already due.
          next_attempt_at: sql<Date>`now() + interval '1 second' * ${Math.min(3600, 30 * 2 ** (row.attempts - 1))}`,
          ...(failed ? { status: "failed" as const } : {}),
        })
        .where("id", "=", row.id)
        .execute();
      this.log.warn(
        { notification: row.id, channel: row.channel, attempt: row.attempts, err: error },
        failed ? "notification given up" : "notification failed; will retry",
      );
      return false;
    }
  }
}
