/** One audit entry as the platform's `audit.list` returns it (dates as ISO strings). */
export interface AuditEntry {
  id: string;
  actorType: "user" | "api_key" | "operator" | "system";
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  target: { type: string; id: string } | null;
  metadata: Record<string, unknown>;
  ip: string | null;
  createdAt: string;
}

// The actions the platform records today. One it adds later shows as its raw name until it is listed here.
const ACTION_LABELS: Record<string, string> = {
  "agent.run_started": "Ran an agent",
  "api_key.created": "Created an API key",
  "api_key.updated": "Edited an API key",
  "api_key.rolled": "Rolled an API key",
  "api_key.revoked": "Revoked an API key",
  "billing.auto_top_up_changed": "Changed auto top-up",
  "billing.checkout_started": "Opened a Stripe checkout",
  "billing.dispute_inquiry": "The bank asked about a payment",
  "billing.dispute_lost": "Lost a payment dispute",
  "billing.dispute_opened": "A payment was disputed",
  "billing.dispute_won": "Won a payment dispute",
  "billing.payment_failed": "A payment failed",
  "billing.payment_pending": "A payment is on its way",
  "billing.plan_changed": "The monthly plan changed",
  "billing.purchase": "Bought credits",
  "billing.refund": "A payment was refunded",
  "billing.top_up_failed": "Auto top-up failed",
  "chat.conversation_deleted": "Deleted a conversation",
  "chat.escalated": "Handed a conversation to a person",
  "invitation.created": "Invited someone to the team",
  "invitation.revoked": "Withdrew an invitation",
  "invitation.accepted": "Joined the team by invitation",
  "knowledge.document_added": "Added a knowledge document",
  "knowledge.document_updated": "Edited a knowledge document",
  "knowledge.document_deleted": "Deleted a knowledge document",
  "member.role_changed": "Changed a member's role",
  "member.removed": "Removed a member",
  "member.left": "Left the team",
  "tenant.created": "Created the workspace",
  "tenant.renamed": "Renamed the workspace",
  "tenant.settings_updated": "Changed the settings",
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

/** A name in words, and the id that goes with it when there is nothing better (shown apart: ids are long). */
export interface Named {
  label: string;
  id?: string;
}

/** Who did it: the person's e-mail, the API key, or BizBot itself. */
export function actorName(entry: Pick<AuditEntry, "actorType" | "actorId" | "actorEmail">): Named {
  const id = entry.actorId ?? undefined;
  switch (entry.actorType) {
    case "user":
      // The platform joins the e-mail while the account exists; a deleted account leaves only its id.
      return entry.actorEmail ? { label: entry.actorEmail } : { label: "Deleted user", id };
    case "api_key":
      return { label: "API key", id };
    case "operator":
      return { label: "BizBot operator" };
    case "system":
      return { label: "System" };
  }
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value ? value : undefined);

/** What the action was done to, named as people know it (an e-mail, a key prefix, a title) rather than by id. */
export function targetName(entry: Pick<AuditEntry, "target" | "metadata">): Named | null {
  const { target, metadata } = entry;
  if (!target) return null;
  const email = text(metadata.email);
  const title = text(metadata.title);
  const prefix = text(metadata.prefix);
  switch (target.type) {
    case "api_key":
      return prefix ? { label: `API key ${prefix}` } : { label: "API key", id: target.id };
    case "user":
      return email ? { label: email } : { label: "User", id: target.id };
    case "invitation":
      return email ? { label: `Invitation for ${email}` } : { label: "Invitation", id: target.id };
    case "document":
      return title ? { label: `“${title}”` } : { label: "Document", id: target.id };
    case "conversation":
      return { label: "Conversation", id: target.id };
    case "run":
      return { label: text(metadata.agentId) ? `Run of ${text(metadata.agentId)}` : "Run", id: target.id };
    case "tenant":
      return { label: "This workspace" };
    default:
      return { label: target.type, id: target.id };
  }
}

/** A page showing the target, while it still exists. */
export function targetHref(entry: Pick<AuditEntry, "action" | "target">): string | null {
  if (entry.target?.type === "conversation" && entry.action !== "chat.conversation_deleted") return `/conversations/${entry.target.id}`;
  return null;
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
const duration = (seconds: number) =>
  seconds % 3600 === 0 ? plural(seconds / 3600, "hour") : seconds % 60 === 0 ? plural(seconds / 60, "minute") : plural(seconds, "second");

const humanise = (key: string) => key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

/** One line about the entry's details, for the summary of the disclosure that holds them all; null when there are none. */
export function metadataSummary(entry: Pick<AuditEntry, "action" | "metadata">): string | null {
  const { action, metadata } = entry;
  const keys = Object.keys(metadata);
  if (keys.length === 0) return null;
  if ((action === "member.role_changed" || action === "tenant.renamed") && "from" in metadata && "to" in metadata) {
    return `${String(metadata.from)} → ${String(metadata.to)}`;
  }
  if ((action === "invitation.created" || action === "invitation.accepted") && text(metadata.role)) return `As ${text(metadata.role)}`;
  if ((action === "member.removed" || action === "member.left") && text(metadata.role)) {
    return `Was ${text(metadata.role) === "member" ? "a" : "an"} ${text(metadata.role)}`;
  }
  if (action === "knowledge.document_added" && typeof metadata.chunks === "number") return `${plural(metadata.chunks, "passage")} indexed`;
  if (action === "api_key.created" && text(metadata.mode) && text(metadata.kind)) return `A ${text(metadata.mode)} ${text(metadata.kind)} key`;
  if (action === "api_key.rolled" && typeof metadata.graceSeconds === "number") {
    return metadata.graceSeconds > 0 ? `Old key kept working for ${duration(metadata.graceSeconds)}` : "Old key revoked at once";
  }
  if (action === "api_key.updated" && keys.length > 1)
    return `Changed ${keys
      .filter((k) => k !== "prefix")
      .map(humanise)
      .join(", ")}`;
  if (action === "tenant.settings_updated") return `Changed ${keys.map(humanise).join(", ")}`;
  return keys.map(humanise).join(", ");
}
