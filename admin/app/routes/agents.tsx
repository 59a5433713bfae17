import { CREDIT_PRICE_USD } from "@bizbot/shared";
import { Form, Link } from "react-router";
import { RunsTable } from "../components/agent-runs.tsx";
import { Badge, formatNumber, PageHeader, Section } from "../components/page.tsx";
import { SubmitButton } from "../components/submit-button.tsx";
import { text } from "../lib/forms.server.ts";
import { attempt } from "../lib/platform.server.ts";
import { redirectWithToast } from "../lib/session.server.ts";
import { canManage, viewerContext, viewerPlatform } from "../lib/viewer.server.ts";
import type { Route } from "./+types/agents";

export function meta() {
  return [{ title: "Agents · BizBot" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const { role } = context.get(viewerContext);
  const client = viewerPlatform(context, request);
  const cursor = new URL(request.url).searchParams.get("cursor") ?? undefined;
  const [catalogue, settings, runs] = await Promise.all([
    attempt(() => client.agents.list.query()),
    attempt(() => client.settings.get.query()),
    attempt(() => client.agents.listRuns.query({ limit: 10, ...(cursor ? { cursor } : {}) })),
  ]);
  if (!catalogue.ok) throw new Response(catalogue.problem.message, { status: catalogue.problem.status });
  if (!settings.ok) throw new Response(settings.problem.message, { status: settings.problem.status });
  const agents = catalogue.value.agents.map((a) => {
    const own = settings.value.agents[a.id];
    return {
      id: a.id,
      name: a.name,
      description: a.description,
      credits: a.credits,
      usd: a.credits * CREDIT_PRICE_USD,
      enabled: a.enabled,
      visibility: own.visibility,
      trialRuns: settings.value.trialRuns[a.id],
      afterTrial: own.afterTrial,
    };
  });
  return {
    agents,
    runs: runs.ok ? runs.value : null,
    runsError: runs.ok ? null : runs.problem.message,
    cursor: cursor ?? null,
    canManage: canManage(role),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const agentId = text(form, "agentId");
  const enabled = text(form, "enabled") === "true";
  const client = viewerPlatform(context, request);
  const saved = await attempt(() => client.settings.update.mutate({ agents: { [agentId]: { enabled } } }));
  if (!saved.ok) return redirectWithToast("/agents", { kind: "error", message: saved.problem.message });
  return redirectWithToast("/agents", { kind: "success", message: `${text(form, "name")} is ${enabled ? "enabled" : "disabled"}.` });
}

export default function Agents({ loaderData }: Route.ComponentProps) {
  const { agents, runs, runsError, cursor } = loaderData;
  const names = Object.fromEntries(agents.map((a) => [a.id, a.name]));
  return (
    <div className="space-y-6">
      <PageHeader
        title="Agents"
        description="Ten ready-made agents for your support and operations. Run them here, from your servers, or let your website's visitors run the ones you offer in the widget. Each run is paid in credits; you choose how many free runs a visitor gets."
      />

      <ul className="grid gap-4 md:grid-cols-2">
        {agents.map((agent) => (
          <li key={agent.id} className="card flex flex-col gap-3">
            <div className="flex items-start justify-between gap-3">
              <div>
                <h2 className="font-semibold">
                  <Link to={`/agents/${agent.id}`} className="link">
                    {agent.name}
                  </Link>
                </h2>
                <p className="muted text-sm">
                  {formatNumber(agent.credits)} credits a run (${agent.usd.toFixed(2)})
                </p>
              </div>
              {agent.enabled ? <Badge tone="green">Enabled</Badge> : <Badge>Disabled</Badge>}
            </div>
            <p className="muted text-sm">{agent.description}</p>
            <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="font-medium">Offered in</dt>
              <dd>{agent.visibility === "widget" ? "Widget, API and portal" : "API and portal"}</dd>
              <dt className="font-medium">Free visitor runs</dt>
              <dd>
                {agent.visibility !== "widget"
                  ? "Not offered to visitors"
                  : agent.trialRuns === 0
                    ? `None; ${agent.afterTrial === "charge" ? "runs are charged to you" : "the paywall shows"}`
                    : `${formatNumber(agent.trialRuns)}, then ${agent.afterTrial === "charge" ? "charged to you" : "the paywall"}`}
              </dd>
            </dl>
            <div className="mt-auto flex flex-wrap gap-2 pt-1">
              <Link to={`/agents/${agent.id}`} className="btn-secondary px-3 py-1">
                {loaderData.canManage ? "Settings and run" : "Details"}
                <span className="sr-only"> of {agent.name}</span>
              </Link>
              {loaderData.canManage && (
                <Form method="post">
                  <input type="hidden" name="agentId" value={agent.id} />
                  <input type="hidden" name="name" value={agent.name} />
                  <input type="hidden" name="enabled" value={agent.enabled ? "false" : "true"} />
                  <SubmitButton match={{ agentId: agent.id }} variant="secondary" className="px-3 py-1" pending="Saving…">
                    {agent.enabled ? "Disable" : "Enable"}
                    <span className="sr-only"> {agent.name}</span>
                  </SubmitButton>
                </Form>
              )}
            </div>
          </li>
        ))}
      </ul>

      <Section title="Recent runs" description="Every run of every agent: from this portal, your widget and your servers.">
        {runs ? <RunsTable runs={runs.runs} agentNames={names} /> : <p className="text-sm text-red-800 dark:text-red-300">{runsError}</p>}
        {(cursor || runs?.nextCursor) && (
          <nav aria-label="Runs pages" className="flex gap-4 text-sm">
            {cursor && (
              <Link to="/agents" className="link">
                Newest runs
              </Link>
            )}
            {runs?.nextCursor && (
              <Link to={`/agents?cursor=${encodeURIComponent(runs.nextCursor)}`} className="link">
                Older runs
              </Link>
            )}
          </nav>
        )}
      </Section>
    </div>
  );
}
