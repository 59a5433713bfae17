// The dashboard's charts, tables and lists of usage.summary, agents.listRuns and conversations.list.
import { Link } from "react-router";
import { CategoryBarChart } from "./charts/category-bar-chart.tsx";
import { ChartTable } from "./charts/chart-table.tsx";
import { DailyBarChart } from "./charts/daily-bar-chart.tsx";
import { formatNumber, formatDay, formatDateTime, formatPercent, formatUsd } from "./format.ts";
import { Badge, EmptyState } from "./page.tsx";
import { TableScroll } from "./table-scroll.tsx";

interface Day {
  date: string;
  creditsSpent: number;
  agentRuns: number;
  trialRuns: number;
  conversations: number;
}

/** Three charts of the same days, and one table that holds all their figures. */
export function DailyUsage({ daily }: { daily: Day[] }) {
  const paid = (d: Day) => d.agentRuns - d.trialRuns;
  return (
    <>
      <DailyBarChart title="Credits spent per day" days={daily} series={[{ label: "credits spent", tone: "primary", value: (d) => d.creditsSpent }]} />
      <div className="grid gap-6 border-t border-gray-200 pt-4 md:grid-cols-2 dark:border-gray-800">
        <DailyBarChart
          title="Agent runs per day"
          days={daily}
          series={[
            { label: "paid runs", tone: "primary", value: paid },
            { label: "free trial runs", tone: "secondary", value: (d) => d.trialRuns },
          ]}
        />
        <DailyBarChart title="Conversations per day" days={daily} series={[{ label: "conversations", tone: "primary", value: (d) => d.conversations }]} />
      </div>
      <ChartTable
        title="Usage per day"
        columns={["Day", "Credits spent", "Paid runs", "Free trial runs", "Conversations"]}
        rows={daily.map((d) => [
          formatDay(d.date),
          formatNumber(d.creditsSpent),
          formatNumber(paid(d)),
          formatNumber(d.trialRuns),
          formatNumber(d.conversations),
        ])}
      />
    </>
  );
}

interface AgentFigures {
  agentId: string;
  name: string;
  runs: number;
  succeeded: number;
  failed: number;
  trialRuns: number;
  creditsSpent: number;
  modelCostUsd: number;
}

/** Runs and credits per agent as charts, and every figure in the table below them (the charts' own). */
export function AgentUsage({ agents }: { agents: AgentFigures[] }) {
  return (
    <>
      <div className="grid gap-6 md:grid-cols-2">
        <CategoryBarChart title="Runs per agent" items={agents.map((a) => ({ label: a.name, value: a.runs }))} />
        <CategoryBarChart
          title="Credits spent per agent"
          items={agents.map((a) => ({ label: a.name, value: a.creditsSpent })).sort((a, b) => b.value - a.value)}
          tone="secondary"
        />
      </div>
      <AgentUsageTable agents={agents} />
    </>
  );
}

function AgentUsageTable({ agents }: { agents: AgentFigures[] }) {
  return (
    <TableScroll label="Usage per agent, table">
      <table className="data-table">
        <caption className="sr-only">Usage per agent</caption>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col" className="text-right">
              Runs
            </th>
            <th scope="col" className="text-right">
              Succeeded
            </th>
            <th scope="col" className="text-right">
              Failed
            </th>
            <th scope="col" className="text-right">
              Free trial
            </th>
            <th scope="col" className="text-right">
              Credits spent
            </th>
            <th scope="col" className="text-right">
              Model cost
            </th>
          </tr>
        </thead>
        <tbody className="tabular-nums">
          {agents.map((a) => (
            <tr key={a.agentId}>
              <td>
                <Link to={`/agents/${a.agentId}`} className="link whitespace-nowrap">
                  {a.name}
                </Link>
              </td>
              <td className="text-right">{formatNumber(a.runs)}</td>
              <td className="text-right">{formatNumber(a.succeeded)}</td>
              <td className="text-right">{formatNumber(a.failed)}</td>
              <td className="text-right">{formatNumber(a.trialRuns)}</td>
              <td className="text-right">{formatNumber(a.creditsSpent)}</td>
              <td className="text-right">{formatUsd(a.modelCostUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

const runStatus = {
  queued: { label: "Queued", tone: "gray" },
  running: { label: "Running", tone: "indigo" },
  succeeded: { label: "Succeeded", tone: "green" },
  failed: { label: "Failed", tone: "red" },
} as const;

interface RecentRun {
  id: string;
  agentId: string;
  agent: string;
  status: keyof typeof runStatus;
  billing: "credits" | "trial";
  creditsCharged: number;
  createdAt: string;
}

export function RecentRuns({ runs }: { runs: RecentRun[] }) {
  if (runs.length === 0) return <EmptyState>No agent has run yet. Enable agents and try one from the Agents page.</EmptyState>;
  return (
    <>
      <ul className="divide-y divide-gray-200 dark:divide-gray-800">
        {runs.map((run) => (
          <li key={run.id} className="flex items-start justify-between gap-3 py-2.5">
            <div className="min-w-0">
              <Link to={`/agents/${run.agentId}?run=${run.id}`} className="link">
                {run.agent}
                <span className="sr-only"> run of {formatDateTime(run.createdAt)}</span>
              </Link>
              <p className="muted text-xs">
                {formatDateTime(run.createdAt)} · {run.billing === "trial" ? "free trial" : `${formatNumber(run.creditsCharged)} credits`}
              </p>
            </div>
            <Badge tone={runStatus[run.status].tone}>{runStatus[run.status].label}</Badge>
          </li>
        ))}
      </ul>
      <p className="text-sm">
        <Link to="/agents" className="link">
          All agents and runs
        </Link>
      </p>
    </>
  );
}

interface RecentConversation {
  id: string;
  status: "open" | "escalated";
  messageCount: number;
  userId: string | null;
  createdAt: string;
  updatedAt: string;
}

export function RecentConversations({ conversations }: { conversations: RecentConversation[] }) {
  if (conversations.length === 0) return <EmptyState>No conversation yet. Once the widget is on your site, visitors' chats appear here.</EmptyState>;
  return (
    <>
      <ul className="divide-y divide-gray-200 dark:divide-gray-800">
        {conversations.map((c) => (
          <li key={c.id} className="flex items-start justify-between gap-3 py-2.5">
            <div className="min-w-0">
              <Link to={`/conversations/${c.id}`} className="link">
                {c.userId ? `Signed-in user ${c.userId}` : "Visitor"}
                <span className="sr-only">, conversation started {formatDateTime(c.createdAt)}</span>
              </Link>
              <p className="muted text-xs">
                {formatNumber(c.messageCount)} {c.messageCount === 1 ? "message" : "messages"} · last active {formatDateTime(c.updatedAt)}
              </p>
            </div>
            {c.status === "escalated" ? <Badge tone="amber">Escalated</Badge> : <Badge>Open</Badge>}
          </li>
        ))}
      </ul>
      <p className="text-sm">
        <Link to="/conversations" className="link">
          All conversations
        </Link>
      </p>
    </>
  );
}

interface Trial {
  runs: number;
  visitors: number;
  exhaustedVisitors: number;
  signupsAfterTrial: number | null;
}

export function TrialFunnel({ trial }: { trial: Trial }) {
  if (trial.visitors === 0) {
    return (
      <EmptyState>
        No visitor ran an agent free in this period. Visitors get free runs of the agents you show in the widget; set how many on the{" "}
        <Link to="/agents" className="link">
          Agents page
        </Link>
        .
      </EmptyState>
    );
  }
  const steps = [
    { label: "Tried an agent free", value: trial.visitors },
    { label: "Used all their free runs", value: trial.exhaustedVisitors },
    ...(trial.signupsAfterTrial !== null ? [{ label: "Signed up afterwards", value: trial.signupsAfterTrial }] : []),
  ];
  return (
    <>
      <p className="text-sm">
        {formatNumber(trial.runs)} free {trial.runs === 1 ? "run" : "runs"} by {formatNumber(trial.visitors)} {trial.visitors === 1 ? "visitor" : "visitors"};{" "}
        {formatPercent(trial.exhaustedVisitors / trial.visitors)} of them reached the end of their free runs
        {trial.signupsAfterTrial !== null && `, and ${formatNumber(trial.signupsAfterTrial)} signed up`}.
      </p>
      <CategoryBarChart title="Visitors at each step" items={steps} />
      <ChartTable title="Visitors at each step" columns={["Step", "People"]} rows={steps.map((step) => [step.label, formatNumber(step.value)])} />
    </>
  );
}

/** The model's cost split between agent runs and the support bot's replies, which the summary counts together. */
export function ModelCost({ totalUsd, agents, conversations }: { totalUsd: number; agents: Pick<AgentFigures, "modelCostUsd">[]; conversations: number }) {
  const agentsUsd = agents.reduce((sum, a) => sum + a.modelCostUsd, 0);
  const repliesUsd = Math.max(totalUsd - agentsUsd, 0);
  return (
    <dl className="grid grid-cols-2 gap-4 text-sm">
      <div>
        <dt className="muted">Total</dt>
        <dd className="text-xl font-bold tabular-nums">{formatUsd(totalUsd)}</dd>
      </div>
      <div>
        <dt className="muted">Average per conversation</dt>
        <dd className="text-xl font-bold tabular-nums">{conversations > 0 ? formatUsd(repliesUsd / conversations) : "—"}</dd>
      </div>
      <div>
        <dt className="muted">Agent runs</dt>
        <dd className="font-semibold tabular-nums">{formatUsd(agentsUsd)}</dd>
      </div>
      <div>
        <dt className="muted">Support bot replies</dt>
        <dd className="font-semibold tabular-nums">{formatUsd(repliesUsd)}</dd>
      </div>
    </dl>
  );
}
