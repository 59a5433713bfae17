import { type AgentId, agentIds, CREDIT_PRICE_USD } from "@bizbot/shared";
import { Form, Link } from "react-router";
import { isActive, RunsTable } from "../components/agent-runs.tsx";
import { AgentSettingsForm } from "../components/agent-settings-form.tsx";
import { FormError } from "../components/field.tsx";
import { Badge, formatNumber, PageHeader, Section } from "../components/page.tsx";
import { RunResult } from "../components/run-result.tsx";
import { SchemaFields } from "../components/schema-fields.tsx";
import { SubmitButton } from "../components/submit-button.tsx";
import { usePolling } from "../components/use-polling.ts";
import { refused, text } from "../lib/forms.server.ts";
import { attempt, type Problem } from "../lib/platform.server.ts";
import { fieldsOf, readForm } from "../lib/schema-form.ts";
import { redirectWithToast } from "../lib/session.server.ts";
import { canManage, viewerContext, viewerPlatform } from "../lib/viewer.server.ts";
import type { Route } from "./+types/agent";

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: `${loaderData?.agent.name ?? "Agent"} · BizBot` }];
}

function agentIdOf(params: { agentId: string }): AgentId {
  const id = params.agentId as AgentId;
  if (!agentIds.includes(id)) throw new Response("There is no such agent.", { status: 404 });
  return id;
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const id = agentIdOf(params);
  const { role } = context.get(viewerContext);
  const client = viewerPlatform(context, request);
  const url = new URL(request.url);
  const runId = url.searchParams.get("run");
  const cursor = url.searchParams.get("cursor") ?? undefined;
  const [catalogue, settings, runs, run, balance] = await Promise.all([
    attempt(() => client.agents.list.query()),
    attempt(() => client.settings.get.query()),
    attempt(() => client.agents.listRuns.query({ agentId: id, limit: 10, ...(cursor ? { cursor } : {}) })),
    runId ? attempt(() => client.agents.getRun.query({ runId })) : null,
    attempt(() => client.credits.balance.query()),
  ]);
  if (!catalogue.ok) throw new Response(catalogue.problem.message, { status: catalogue.problem.status });
  if (!settings.ok) throw new Response(settings.problem.message, { status: settings.problem.status });
  const agent = catalogue.value.agents.find((a) => a.id === id)!;
  return {
    agent: { id, name: agent.name, description: agent.description, credits: agent.credits, usd: agent.credits * CREDIT_PRICE_USD, enabled: agent.enabled },
    settings: { ...settings.value.agents[id], trialRuns: settings.value.trialRuns[id] },
    fields: fieldsOf(agent.inputSchema),
    run: run?.ok ? run.value : null,
    runError: run && !run.ok ? (run.problem.status === 404 || run.problem.status === 400 ? "That run was not found." : run.problem.message) : null,
    runs: runs.ok ? runs.value : null,
    runsError: runs.ok ? null : runs.problem.message,
    cursor: cursor ?? null,
    available: balance.ok ? balance.value.available : null,
    canManage: canManage(role),
  };
}

const invalid = (message: string, fields: Record<string, string[]> = {}): Problem => ({ status: 400, reason: "invalid_input", message, fields });

/** A number field: null when blank, else the number (the platform checks its range). */
function numberField(form: FormData, name: string): number | null | "invalid" {
  const value = text(form, name);
  if (!value) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : "invalid";
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const id = agentIdOf(params);
  const form = await request.formData();
  const intent = text(form, "intent");
  const client = viewerPlatform(context, request);

  if (intent === "settings") {
    const values = {
      intent,
      enabled: form.get("enabled") ? "on" : "",
      visibility: text(form, "visibility"),
      instructions: String(form.get("instructions") ?? ""),
      trialRuns: text(form, "trialRuns"),
      afterTrial: text(form, "afterTrial"),
      cachedRunCredits: text(form, "cachedRunCredits"),
    };
    const trialRuns = numberField(form, "trialRuns");
    const cachedRunCredits = numberField(form, "cachedRunCredits");
    if (trialRuns === "invalid" || cachedRunCredits === "invalid") {
      return refused(
        invalid("Numbers only, please.", {
          ...(trialRuns === "invalid" ? { trialRuns: ["must be a number"] } : {}),
          ...(cachedRunCredits === "invalid" ? { cachedRunCredits: ["must be a number"] } : {}),
        }),
        values,
      );
    }
    const saved = await attempt(() =>
      client.settings.update.mutate({
        agents: {
          [id]: {
            enabled: values.enabled === "on",
            visibility: values.visibility as "widget" | "api",
            instructions: values.instructions.trim(),
            afterTrial: values.afterTrial as "paywall" | "charge",
            cachedRunCredits,
          },
        },
        ...(trialRuns === null ? {} : { trialRuns: { [id]: trialRuns } }),
      }),
    );
    if (!saved.ok) {
      // The platform names fields by their place in the whole settings object: `agents.<id>.visibility`, `trialRuns.<id>`.
      const fields = Object.fromEntries(
        Object.entries(saved.problem.fields).map(([path, errors]) => [path.replace(`agents.${id}.`, "").replace(`trialRuns.${id}`, "trialRuns"), errors]),
      );
      return refused({ ...saved.problem, fields }, values);
    }
    return redirectWithToast(`/agents/${id}`, { kind: "success", message: "Settings saved." });
  }

  if (intent === "run") {
    const catalogue = await attempt(() => client.agents.list.query());
    if (!catalogue.ok) return refused(catalogue.problem, { intent });
    const schema = catalogue.value.agents.find((a) => a.id === id)!.inputSchema;
    const read = readForm(fieldsOf(schema), form);
    const values = { intent, ...read.values };
    if (Object.keys(read.errors).length > 0) return refused(invalid("Check the fields marked below.", read.errors), values);
    const started = await attempt(() => client.agents.start.mutate({ agentId: id, input: read.input }));
    if (!started.ok) {
      const { problem } = started;
      if (problem.reason === "model_not_configured") {
        return refused(
          {
            ...problem,
            message:
              "Agents cannot run yet: no AI model is configured on this BizBot server. Nothing was charged. Whoever runs the server sets one up (ANTHROPIC_API_KEY).",
          },
          values,
        );
      }
      return refused(problem, values);
    }
    return redirectWithToast(`/agents/${id}?run=${started.value.id}`, { kind: "success", message: "Run started." });
  }

  return refused(invalid("Unknown action."), { intent });
}

export default function Agent({ loaderData, actionData }: Route.ComponentProps) {
  const { agent, settings, fields, run, runError, runs, runsError, cursor, available } = loaderData;
  usePolling(run !== null && isActive(run.status), 1000);
  const sent = actionData?.values.intent;
  const runProblem = sent === "run" ? actionData?.problem : undefined;
  const settingsProblem = sent === "settings" ? actionData?.problem : undefined;
  const base = `/agents/${agent.id}`;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to="/agents" className="link">
          ← All agents
        </Link>
      </p>
      <PageHeader
        title={agent.name}
        description={agent.description}
        actions={
          <div className="flex items-center gap-2">
            <Badge tone="indigo">
              {formatNumber(agent.credits)} credits · ${agent.usd.toFixed(2)} a run
            </Badge>
            {agent.enabled ? <Badge tone="green">Enabled</Badge> : <Badge>Disabled</Badge>}
          </div>
        }
      />

      {(run || runError) && (
        <Section title="Run" id="run">
          {run ? <RunResult run={run} refreshHref={`${base}?run=${run.id}`} /> : <FormError message={runError ?? undefined} />}
        </Section>
      )}

      <Section
        title="Run now"
        description={`Runs ${agent.name} on what you enter, charged ${formatNumber(agent.credits)} credits to your balance${available === null ? "" : ` (${formatNumber(available)} available)`}. ${
          agent.id === "workflow-orchestrator"
            ? "Its steps are runs of your other agents, each charged at its own price; a step that fails costs nothing."
            : "A failed run costs nothing."
        }`}
      >
        {loaderData.canManage ? (
          <Form method="post" action={base} className="space-y-4">
            <FormError message={runProblem?.message} />
            {!agent.enabled && (
              <p className="text-sm text-amber-900 dark:text-amber-200">This agent is disabled, so runs are refused. Enable it in its settings below first.</p>
            )}
            <SchemaFields fields={fields} values={sent === "run" ? actionData?.values : undefined} errors={runProblem?.fields} />
            <p className="muted text-xs">
              Fields marked <span aria-hidden="true">*</span>
              <span className="sr-only">with an asterisk</span> are required.
            </p>
            <SubmitButton intent="run" pending="Starting…">
              Run {agent.name}
            </SubmitButton>
          </Form>
        ) : (
          <p className="muted text-sm">Owners and admins can run agents from here.</p>
        )}
      </Section>

      <Section title="Settings" description="How this agent serves your website and your servers.">
        <AgentSettingsForm
          action={base}
          agentId={agent.id}
          settings={settings}
          problem={settingsProblem}
          values={sent === "settings" ? actionData?.values : undefined}
          readOnly={!loaderData.canManage}
        />
      </Section>

      <Section title="Runs" description="This agent's runs, newest first, from the portal, your widget and your servers.">
        {runs ? <RunsTable runs={runs.runs} /> : <FormError message={runsError ?? undefined} />}
        {(cursor || runs?.nextCursor) && (
          <nav aria-label="Runs pages" className="flex gap-4 text-sm">
            {cursor && (
              <Link to={base} className="link">
                Newest runs
              </Link>
            )}
            {runs?.nextCursor && (
              <Link to={`${base}?cursor=${encodeURIComponent(runs.nextCursor)}`} className="link">
                Older runs
              </Link>
            )}
          </nav>
        )}
      </Section>
    </div>
  );
}
