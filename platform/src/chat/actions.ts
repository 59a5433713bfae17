import { agents, type SuggestedAction } from "@bizbot/shared";
import type { SearchHit } from "../knowledge/repository.ts";

const agentIds = new Set<string>(agents.map((a) => a.id));

/**
 * The suggest_actions the model made, kept only when they are real: a link or e-mail address must appear in the
 * retrieved passages (or be the tenant's escalation address), an agent must exist. A model cannot send a visitor
 * to an address someone planted in a question.
 */
export function validActions(toolUses: Array<{ name: string; input: unknown }>, passages: SearchHit[], escalationEmail: string | null): SuggestedAction[] {
  const source = passages.map((p) => p.text).join("\n");
  const actions: SuggestedAction[] = [];
  for (const use of toolUses.filter((u) => u.name === "suggest_actions")) {
    const list = (use.input as { actions?: unknown })?.actions;
    if (!Array.isArray(list)) continue;
    for (const raw of list.slice(0, 3) as unknown[]) {
      if (!raw || typeof raw !== "object") continue;
      const { label: rawLabel, type, url, email, agentId } = raw as Record<string, unknown>;
      const label = typeof rawLabel === "string" ? rawLabel.trim().slice(0, 80) : "";
      if (!label) continue;
      if (type === "human") actions.push({ type: "human", label });
      else if (type === "link" && typeof url === "string" && /^https?:\/\//.test(url) && source.includes(url)) actions.push({ type: "link", label, url });
      else if (type === "email" && typeof email === "string" && (source.includes(email) || email === escalationEmail))
        actions.push({ type: "email", label, email });
      else if (type === "agent" && typeof agentId === "string" && agentIds.has(agentId)) actions.push({ type: "agent", label, agentId });
    }
  }
  return actions.slice(0, 3);
}
