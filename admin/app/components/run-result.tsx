import { Link } from "react-router";
import { charge, formatDuration, isActive, type RunSummary, RunStatusBadge } from "./agent-runs.tsx";
import { CopyButton } from "./copy-button.tsx";
import { formatDateTime, formatNumber } from "./page.tsx";
import { StructuredValue } from "./structured-value.tsx";

export interface RunDetail extends RunSummary {
  output?: unknown;
  steps: string[];
  usage: RunSummary["usage"] & { modelCalls: number; inputTokens: number; outputTokens: number };
  finishedAt: string | null;
}

/** Where the output's main text is, for "Copy text": the field a person would paste somewhere. */
function mainText(output: unknown): string | undefined {
  if (typeof output === "string") return output;
  if (typeof output !== "object" || output === null) return undefined;
  const record = output as Record<string, unknown>;
  for (const key of ["reply", "markdown", "answer", "report", "output", "summary"]) {
    if (typeof record[key] === "string" && record[key]) return record[key] as string;
  }
  return undefined;
}

/** One run: where it stands, its steps, then its result or why it failed. `refreshHref` reloads it without script. */
export function RunResult({ run, refreshHref }: { run: RunDetail; refreshHref: string }) {
  const active = isActive(run.status);
  // A workflow that stopped at a failed step keeps the results of the steps before it.
  const hasOutput = run.output !== null && run.output !== undefined && !active;
  const text = hasOutput ? mainText(run.output) : undefined;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3" role="status">
        <RunStatusBadge status={run.status} />
        <p className="text-sm">
          {run.status === "queued" && "Waiting for a worker to take it…"}
          {run.status === "running" && (run.steps.length > 0 ? `Working: ${run.steps.at(-1)}` : "Working…")}
          {run.status === "succeeded" && `Finished ${run.finishedAt ? formatDateTime(run.finishedAt) : ""}`}
          {run.status === "failed" && (run.creditsCharged === 0 ? "This run failed; nothing was charged for it." : "This run failed part-way.")}
        </p>
        {active && (
          <>
            {/* Without script, the page reloads itself; with it, the page polls and this stays inert. */}
            <noscript>
              <meta httpEquiv="refresh" content="2" />
            </noscript>
            <Link to={refreshHref} className="link text-sm">
              Refresh
            </Link>
          </>
        )}
      </div>

      <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium">Run</dt>
        <dd className="font-mono text-xs break-all">{run.id}</dd>
        <dt className="font-medium">Started</dt>
        <dd>{formatDateTime(run.createdAt)}</dd>
        <dt className="font-medium">Charged</dt>
        <dd>{charge(run)}</dd>
        <dt className="font-medium">Duration</dt>
        <dd>{formatDuration(run.usage.durationMs)}</dd>
        {run.usage.modelCalls > 0 && (
          <>
            <dt className="font-medium">Model</dt>
            <dd>
              {formatNumber(run.usage.modelCalls)} {run.usage.modelCalls === 1 ? "call" : "calls"},{" "}
              {formatNumber(run.usage.inputTokens + run.usage.outputTokens)} tokens
            </dd>
          </>
        )}
      </dl>

      {run.steps.length > 0 && (
        <div>
          <h3 className="text-sm font-semibold">Steps</h3>
          <ol className="mt-1 list-decimal space-y-0.5 pl-5 text-sm">
            {run.steps.map((step, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a step may be named twice (a retried attempt); its place is its identity.
              <li key={i}>
                {step}
                {active && i === run.steps.length - 1 && <span className="muted"> (in progress)</span>}
              </li>
            ))}
          </ol>
        </div>
      )}

      {run.error && (
        <div
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          <p className="font-semibold">Why it failed</p>
          <p>{run.error.message}</p>
          <p className="mt-1 font-mono text-xs">{run.error.code}</p>
        </div>
      )}

      {hasOutput && (
        <div className="space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h3 className="font-semibold">{run.status === "failed" ? "What was done" : "Result"}</h3>
            <div className="flex gap-2">
              {text && <CopyButton text={text} label="Copy text" />}
              <CopyButton text={JSON.stringify(run.output, null, 2)} label="Copy JSON" />
            </div>
          </div>
          <div className="rounded-md border border-gray-200 p-4 dark:border-gray-800">
            <StructuredValue value={run.output} level={4} />
          </div>
          <details className="text-sm">
            <summary className="link cursor-pointer">The result as JSON</summary>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must be reachable by keyboard to be scrolled. */}
            <pre tabIndex={0} className="mt-2 max-h-96 overflow-auto rounded-md bg-gray-100 p-3 text-xs dark:bg-gray-800">
              <code>{JSON.stringify(run.output, null, 2)}</code>
            </pre>
          </details>
        </div>
      )}
    </div>
  );
}
