import { Link } from "react-router";
import { Badge, EmptyState, formatDateTime, formatNumber } from "./page.tsx";

export type RunStatus = "queued" | "running" | "succeeded" | "failed";

/** A run as agents.listRuns and agents.getRun return it (dates as ISO strings). */
export interface RunSummary {
  id: string;
  agentId: string;
  status: RunStatus;
  creditsCharged: number;
  cached: boolean;
  billing: "credits" | "trial";
  usage: { durationMs: number | null };
  error: { code: string; message: string } | null;
  createdAt: string;
}

const statusLabels: Record<RunStatus, { label: string; tone: "gray" | "amber" | "green" | "red" }> = {
  queued: { label: "Queued", tone: "gray" },
  running: { label: "Running…", tone: "amber" },
  succeeded: { label: "Succeeded", tone: "green" },
  failed: { label: "Failed", tone: "red" },
};

export const isActive = (status: RunStatus) => status === "queued" || status === "running";

export function RunStatusBadge({ status }: { status: RunStatus }) {
  const { label, tone } = statusLabels[status];
  return <Badge tone={tone}>{label}</Badge>;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1000) return `${formatNumber(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** What a run cost the tenant, in words: free runs and failed runs cost nothing. */
export function charge(run: Pick<RunSummary, "status" | "billing" | "creditsCharged" | "cached">): string {
  if (run.billing === "trial") return "Free trial run";
  if (run.creditsCharged === 0 && run.status !== "succeeded") return isActive(run.status) ? "Held while it runs" : "Nothing";
  const credits = run.creditsCharged === 1 ? "1 credit" : `${formatNumber(run.creditsCharged)} credits`;
  return run.cached ? `${credits} (cached answer)` : credits;
}

/** Recent runs, newest first; `agentNames` adds an agent column when the runs are of several agents. */
export function RunsTable({ runs, agentNames }: { runs: RunSummary[]; agentNames?: Record<string, string> }) {
  if (runs.length === 0) return <EmptyState>No runs yet. Runs from the portal, your widget and your servers all show here.</EmptyState>;
  return (
    <div className="relative overflow-x-auto">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Started</th>
            {agentNames && <th scope="col">Agent</th>}
            <th scope="col">Status</th>
            <th scope="col">Charged</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id}>
              <td className="whitespace-nowrap">
                <Link className="link" to={`/agents/${run.agentId}?run=${run.id}`}>
                  {formatDateTime(run.createdAt)}
                </Link>
              </td>
              {agentNames && <td>{agentNames[run.agentId] ?? run.agentId}</td>}
              <td>
                <RunStatusBadge status={run.status} />
                {run.error && <p className="mt-1 max-w-xs text-xs text-red-800 dark:text-red-300">{run.error.message}</p>}
              </td>
              <td className="whitespace-nowrap">{charge(run)}</td>
              <td className="whitespace-nowrap tabular-nums">{formatDuration(run.usage.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
