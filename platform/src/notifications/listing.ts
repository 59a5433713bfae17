import type { Kysely } from "kysely";
import type { DB } from "../db/schema.ts";

export type OutboxStatus = "pending" | "sent" | "failed";

export interface OutboxEntry {
  id: string;
  tenantId: string | null;
  kind: string;
  channel: "email" | "webhook";
  target: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** E-mail: {subject, text}; webhook: its JSON body. */
  payload: Record<string, unknown>;
}

/** The outbox for the operator, newest first: what waits for SMTP_URL, what went, what was given up on. */
export async function listOutbox(db: Kysely<DB>, status: OutboxStatus | "all", limit: number): Promise<OutboxEntry[]> {
  let query = db.selectFrom("notification_outbox").selectAll();
  if (status !== "all") query = query.where("status", "=", status);
  const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    kind: r.kind,
    channel: r.channel,
    target: r.target,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
    payload: r.payload,
  }));
}

/** One entry as an operator reads it: an e-mail with its headers and text, a webhook with its body. */
export function describeNotification(n: OutboxEntry): string {
  const head = [
    `${n.id}  ${n.status}${n.attempts ? ` after ${n.attempts} attempt${n.attempts === 1 ? "" : "s"}` : ""}  ${n.createdAt}  ${n.kind}${n.tenantId ? `  tenant ${n.tenantId}` : ""}`,
    ...(n.lastError ? [`last error: ${n.lastError}`] : []),
  ];
  if (n.channel === "email") {
    const { subject, text } = n.payload as { subject?: string; text?: string };
    return [...head, `To: ${n.target}`, `Subject: ${subject ?? ""}`, "", text ?? ""].join("\n");
  }
  return [...head, `POST ${n.target}`, JSON.stringify(n.payload, null, 2)].join("\n");
}
