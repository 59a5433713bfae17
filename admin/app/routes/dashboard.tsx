import { isRouteErrorResponse, Link, useNavigation } from "react-router";
import { BalanceCard } from "../components/balance-card.tsx";
import { formatNumber, formatDay, formatPercent, formatUsd } from "../components/format.ts";
import { GetStarted, type GettingStarted } from "../components/get-started.tsx";
import { PageHeader, Section } from "../components/page.tsx";
import { Stat } from "../components/stat.tsx";
import { AgentUsage, DailyUsage, ModelCost, RecentConversations, RecentRuns, TrialFunnel } from "../components/usage.tsx";
import { publicCatalogue } from "../lib/catalogue.server.ts";
import { attempt } from "../lib/platform.server.ts";
import { canManage, viewerContext, viewerPlatform } from "../lib/viewer.server.ts";
import type { Route } from "./+types/dashboard";

export function meta() {
  return [{ title: "Dashboard · BizBot" }];
}

const PERIODS = [7, 30, 90] as const;
const DEFAULT_PERIOD = 30;

/** The page cannot show without these calls: a refusal becomes the error below, in the platform's words. */
async function required<T>(call: () => Promise<T>): Promise<T> {
  const result = await attempt(call);
  if (!result.ok) throw new Response(result.problem.message, { status: result.problem.status });
  return result.value;
}

/** Which first steps are done, as far as the platform shows it; a step it cannot read stays unmarked. */
async function gettingStarted(client: ReturnType<typeof viewerPlatform>): Promise<GettingStarted> {
  const [knowledge, team] = await Promise.all([attempt(() => client.knowledge.list.query()), attempt(() => client.team.list.query())]);
  return {
    knowledge: knowledge.ok ? knowledge.value.documents.length > 0 : null,
    team: team.ok ? team.value.members.length > 1 || team.value.invitations.length > 0 : null,
  };
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const asked = Number(new URL(request.url).searchParams.get("days"));
  const days = PERIODS.find((p) => p === asked) ?? DEFAULT_PERIOD;
  const client = viewerPlatform(context, request);
  const [summary, runs, conversations] = await required(() =>
    Promise.all([client.usage.summary.query({ days }), client.agents.listRuns.query({ limit: 5 }), client.conversations.list.query({ limit: 5 })]),
  );
  const catalogue = publicCatalogue();
  const names = new Map(catalogue.agents.map((a) => [a.id as string, a.name]));
  const nameOf = (agentId: string) => names.get(agentId) ?? agentId;
  // A workspace that has never been used: the lists reach back past the period, so an old but quiet one is not new.
  const firstRun = runs.runs.length === 0 && conversations.conversations.length === 0 && summary.totals.creditsSpent === 0;
  return {
    days,
    summary: { ...summary, agents: summary.agents.map((a) => ({ ...a, name: nameOf(a.agentId) })) },
    // Only what the page shows: a run's output can be large.
    runs: runs.runs.map((r) => ({ ...pick(r, "id", "agentId", "status", "billing", "creditsCharged", "createdAt"), agent: nameOf(r.agentId) })),
    conversations: conversations.conversations.map((c) => pick(c, "id", "status", "messageCount", "userId", "createdAt", "updatedAt")),
    gettingStarted: firstRun ? await gettingStarted(client) : null,
    creditPriceUsd: catalogue.creditPriceUsd,
    canManage: canManage(context.get(viewerContext).role),
  };
}

function pick<T extends object, K extends keyof T>(value: T, ...keys: K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((k) => [k, value[k]])) as Pick<T, K>;
}

function PeriodPicker({ days }: { days: number }) {
  return (
    <nav aria-label="Period">
      <ul className="flex rounded-md border border-gray-300 bg-white p-0.5 text-sm shadow-sm dark:border-gray-700 dark:bg-gray-900">
        {PERIODS.map((p) => (
          <li key={p}>
            <Link
              to={`?days=${p}`}
              aria-current={p === days ? "page" : undefined}
              className={`block rounded px-3 py-1.5 font-medium ${
                p === days
                  ? "bg-indigo-600 text-white dark:bg-indigo-400 dark:text-gray-950"
                  : "text-gray-700 hover:bg-gray-100 dark:text-gray-300 dark:hover:bg-gray-800"
              }`}
            >
              {p} days
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export default function Dashboard({ loaderData }: Route.ComponentProps) {
  const { days, summary, runs, conversations, gettingStarted, creditPriceUsd } = loaderData;
  const { totals, conversations: outcomes } = summary;
  // Another period on its way: the figures on screen are about to change, so they say so.
  const navigation = useNavigation();
  const refreshing = navigation.state === "loading" && navigation.location.pathname === "/dashboard";

  if (gettingStarted) {
    return (
      <div className="space-y-6">
        <PageHeader title="Dashboard" description="Welcome to BizBot. Here you will follow what your support bot and agents do, and what they spend." />
        <BalanceCard balance={summary.balance} days={days} />
        <GetStarted done={gettingStarted} canManage={loaderData.canManage} />
      </div>
    );
  }

  return (
    <div className={`space-y-6 transition-opacity ${refreshing ? "opacity-60" : ""}`} aria-busy={refreshing}>
      <PageHeader
        title="Dashboard"
        description={`The last ${days} days, ${formatDay(summary.from)} to ${formatDay(summary.to)} (UTC days).`}
        actions={<PeriodPicker days={days} />}
      />
      <BalanceCard balance={summary.balance} days={days} />

      <section aria-labelledby="at-a-glance">
        <h2 id="at-a-glance" className="sr-only">
          At a glance
        </h2>
        <dl className="grid grid-cols-2 gap-4 md:grid-cols-3 xl:grid-cols-6">
          <Stat
            label="Credits spent"
            value={formatNumber(totals.creditsSpent)}
            hint={`${formatUsd(totals.creditsSpent * creditPriceUsd)} at ${formatUsd(creditPriceUsd)} each`}
          />
          <Stat label="Agent runs" value={formatNumber(totals.agentRuns)} hint={`${formatNumber(totals.trialRuns)} of them free trial runs`} />
          <Stat
            label="Conversations"
            value={formatNumber(outcomes.total)}
            hint={outcomes.open > 0 ? `${formatNumber(outcomes.open)} still going on` : "None still going on"}
          />
          <Stat label="Resolution rate" value={formatPercent(outcomes.resolutionRate)} hint={`${formatNumber(outcomes.resolved)} answered without a person`} />
          <Stat label="Escalation rate" value={formatPercent(outcomes.escalationRate)} hint={`${formatNumber(outcomes.escalated)} handed to a person`} />
          <Stat label="Model cost" value={formatUsd(totals.modelCostUsd)} hint="What the AI model calls cost, in USD" />
        </dl>
      </section>

      <Section title="Usage per day" description="Credits are counted when they are spent: an agent run's when it finishes, a reply's when it is sent.">
        <DailyUsage daily={summary.daily} />
      </Section>

      <Section title="Usage per agent" description="Runs started in the period, whatever became of them; a failed run costs nothing.">
        {summary.agents.length === 0 ? (
          <p className="muted text-sm">
            No agent ran in these {days} days. Try one on the{" "}
            <Link to="/agents" className="link">
              Agents page
            </Link>
            , or run it from your servers with a secret key.
          </p>
        ) : (
          <AgentUsage agents={summary.agents} />
        )}
      </Section>

      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Recent agent runs">
          <RecentRuns runs={runs} />
        </Section>
        <Section title="Recent conversations">
          <RecentConversations conversations={conversations} />
        </Section>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Section title="Trial funnel" description="Visitors who ran an agent free in the widget, and how far they went.">
          <TrialFunnel trial={summary.trial} />
        </Section>
        <Section title="Model cost" description="What the AI model calls behind your runs and replies cost, in USD. Your credits cover it.">
          <ModelCost totalUsd={totals.modelCostUsd} agents={summary.agents} conversations={outcomes.total} />
        </Section>
      </div>
    </div>
  );
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  const detail = isRouteErrorResponse(error) && typeof error.data === "string" && error.data ? error.data : "The dashboard could not be loaded.";
  return (
    <div className="space-y-4">
      <PageHeader title="Dashboard" />
      <p role="alert" className="card text-sm">
        {detail}{" "}
        <Link to="/dashboard" className="link" reloadDocument>
          Try again
        </Link>
      </p>
    </div>
  );
}
