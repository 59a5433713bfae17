import { Form, useLocation } from "react-router";
import { CopyButton } from "../components/copy-button.tsx";
import { Field, FormError } from "../components/field.tsx";
import { formatNumber, PageHeader, Section } from "../components/page.tsx";
import { problemSummary, type Refusal } from "../components/problem-summary.ts";
import { SubmitButton } from "../components/submit-button.tsx";
import { refused, text } from "../lib/forms.server.ts";
import { attempt } from "../lib/platform.server.ts";
import { redirectWithToast } from "../lib/session.server.ts";
import { canManage, viewerContext, viewerPlatform } from "../lib/viewer.server.ts";
import type { Route } from "./+types/settings";

export function meta() {
  return [{ title: "Settings · BizBot" }];
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const { role, tenant } = context.get(viewerContext);
  const client = viewerPlatform(context, request);
  const [settings, secrets] = await Promise.all([
    attempt(() => client.settings.get.query()),
    role === "owner" ? attempt(() => client.settings.chatSecrets.query()) : null,
  ]);
  if (!settings.ok) throw new Response(settings.problem.message, { status: settings.problem.status });
  const { chat, retention, rateLimits } = settings.value;
  return {
    tenantName: tenant.name,
    owner: role === "owner",
    manage: canManage(role),
    chat,
    retention,
    rateLimits,
    webhookSecret: secrets?.ok ? secrets.value.webhookSecret : null,
  };
}

/** A number field: empty is "not given"; anything else goes to the platform, which says what is wrong with it. */
const numberOf = (form: FormData, name: string): number | undefined => {
  const value = text(form, name);
  return value === "" ? undefined : Number(value);
};

export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const intent = text(form, "intent");
  const client = viewerPlatform(context, request);
  const values: Record<string, string> = { intent };
  for (const [name, value] of form) if (typeof value === "string") values[name] = value;
  const saved = (message: string) => redirectWithToast("/settings", { kind: "success", message });

  switch (intent) {
    case "rename": {
      const renamed = await attempt(() => client.tenant.rename.mutate({ name: text(form, "name") }));
      return renamed.ok ? saved(`The workspace is now called ${renamed.value.name}.`) : refused(renamed.problem, values);
    }
    case "bot": {
      const updated = await attempt(() =>
        client.settings.update.mutate({
          chat: { tone: text(form, "chat.tone"), instructions: String(form.get("chat.instructions") ?? ""), replyCredits: numberOf(form, "chat.replyCredits") },
        }),
      );
      return updated.ok ? saved("Support bot settings saved.") : refused(updated.problem, values);
    }
    case "escalation": {
      const updated = await attempt(() =>
        client.settings.update.mutate({
          chat: { escalationEmail: text(form, "chat.escalationEmail") || null, webhookUrl: text(form, "chat.webhookUrl") || null },
        }),
      );
      return updated.ok ? saved("Escalation settings saved.") : refused(updated.problem, values);
    }
    case "retention": {
      const updated = await attempt(() =>
        client.settings.update.mutate({
          retention: { agentInputDays: numberOf(form, "retention.agentInputDays"), conversationDays: numberOf(form, "retention.conversationDays") ?? null },
        }),
      );
      return updated.ok ? saved("Data retention saved. It applies at the next clean-up, within minutes.") : refused(updated.problem, values);
    }
    case "rateLimits": {
      const updated = await attempt(() =>
        client.settings.update.mutate({
          rateLimits: {
            secretKeyPerHour: numberOf(form, "rateLimits.secretKeyPerHour"),
            visitorPerMinute: numberOf(form, "rateLimits.visitorPerMinute"),
            tenantVisitorsPerMinute: numberOf(form, "rateLimits.tenantVisitorsPerMinute"),
          },
        }),
      );
      return updated.ok ? saved("Rate limits saved.") : refused(updated.problem, values);
    }
    case "delete": {
      const deleted = await attempt(() => client.tenant.delete.mutate({ confirmName: String(form.get("confirmName") ?? "") }));
      if (!deleted.ok) return refused(deleted.problem, values);
      // The session stays: the user may belong to other workspaces, and the dashboard picks one (or says there is none).
      return redirectWithToast("/dashboard", { kind: "success", message: `The workspace ${deleted.value.name} and all its data were deleted.` });
    }
  }
  throw new Response("Unknown action", { status: 400 });
}

type Loaded = Route.ComponentProps["loaderData"];

/** The refusal of the form posted with `intent`, if that is the one that failed. */
const failureOf = (actionData: Refusal | undefined, intent: string) => (actionData?.values.intent === intent ? actionData : null);

export default function Settings({ loaderData, actionData }: Route.ComponentProps) {
  const failed = (intent: string) => failureOf(actionData, intent);
  return (
    <>
      <PageHeader title="Settings" description="Your workspace, its support bot, where requests for a person go, how long data is kept, and its limits." />
      {/* Forms stay mounted across posts with JavaScript: a new page starts them from the saved values. */}
      <div key={useLocation().key} className="space-y-6">
        <Workspace loaderData={loaderData} failure={failed("rename")} />
        <SupportBot loaderData={loaderData} failure={failed("bot")} />
        <Escalation loaderData={loaderData} failure={failed("escalation")} />
        <Retention loaderData={loaderData} failure={failed("retention")} />
        <RateLimits loaderData={loaderData} failure={failed("rateLimits")} />
        {loaderData.owner && <DeleteWorkspace tenantName={loaderData.tenantName} failure={failed("delete")} />}
      </div>
    </>
  );
}

interface SectionProps {
  loaderData: Loaded;
  failure: Refusal | null;
}

function Workspace({ loaderData, failure }: SectionProps) {
  const { tenantName, owner } = loaderData;
  return (
    <Section title="Workspace" description={owner ? "The name your team and your invitations show." : "Only an owner can rename the workspace."}>
      <Form method="post" className="max-w-xl">
        <fieldset disabled={!owner} className="space-y-4">
          <legend className="sr-only">Workspace name</legend>
          <FormError message={problemSummary(failure?.problem, ["name"])} />
          <Field
            label="Name"
            name="name"
            required
            autoComplete="organization"
            defaultValue={failure?.values.name ?? tenantName}
            errors={failure?.problem.fields.name}
          />
          {owner && (
            <SubmitButton intent="rename" pending="Renaming…">
              Rename
            </SubmitButton>
          )}
        </fieldset>
      </Form>
    </Section>
  );
}

function SupportBot({ loaderData, failure }: SectionProps) {
  const { chat, manage } = loaderData;
  const fields = failure?.problem.fields ?? {};
  const values = failure?.values;
  return (
    <Section title="Support bot" description="How the bot in your widget answers. Its name and greeting are on the Widget page.">
      <Form method="post" className="max-w-2xl">
        <fieldset disabled={!manage} className="space-y-4">
          <legend className="sr-only">Support bot</legend>
          <FormError message={problemSummary(failure?.problem, ["chat"])} />
          <Field
            label="Tone"
            name="chat.tone"
            defaultValue={values?.["chat.tone"] ?? chat.tone}
            placeholder="friendly, clear and concise"
            errors={fields["chat.tone"]}
            hint="A few words, such as “warm and informal” or “precise and formal”."
          />
          <Field
            label="Instructions"
            name="chat.instructions"
            multiline
            rows={6}
            defaultValue={values?.["chat.instructions"] ?? chat.instructions}
            placeholder="Always offer the returns form for questions about refunds. Never promise delivery dates."
            errors={fields["chat.instructions"]}
            hint="Your own rules for the bot, added to BizBot’s; up to 4,000 characters."
          />
          <Field
            label="Credits per answer"
            name="chat.replyCredits"
            type="number"
            min={0}
            max={100}
            defaultValue={values?.["chat.replyCredits"] ?? chat.replyCredits}
            errors={fields["chat.replyCredits"]}
            hint="What one answer written by the AI model costs you ($0.04 a credit); 0 makes answers free. Answers quoted straight from your knowledge base are never charged."
          />
          {manage && (
            <SubmitButton intent="bot" pending="Saving…">
              Save bot settings
            </SubmitButton>
          )}
        </fieldset>
      </Form>
    </Section>
  );
}

function Escalation({ loaderData, failure }: SectionProps) {
  const { chat, manage, webhookSecret } = loaderData;
  const fields = failure?.problem.fields ?? {};
  const values = failure?.values;
  return (
    <Section title="Escalation" description="When a visitor asks to talk to a person, BizBot tells you by e-mail, and by webhook if you set one.">
      <Form method="post" className="max-w-2xl">
        <fieldset disabled={!manage} className="space-y-4">
          <legend className="sr-only">Escalation</legend>
          <FormError message={problemSummary(failure?.problem, ["chat"])} />
          <Field
            label="E-mail address"
            name="chat.escalationEmail"
            type="email"
            autoComplete="email"
            defaultValue={values?.["chat.escalationEmail"] ?? chat.escalationEmail ?? ""}
            placeholder="support@example.com"
            errors={fields["chat.escalationEmail"]}
            hint="Leave empty to notify the workspace’s owners."
          />
          <Field
            label="Webhook URL"
            name="chat.webhookUrl"
            type="url"
            defaultValue={values?.["chat.webhookUrl"] ?? chat.webhookUrl ?? ""}
            placeholder="https://example.com/hooks/bizbot"
            errors={fields["chat.webhookUrl"]}
            hint="Receives a signed JSON POST for each request; failed deliveries are retried for about a day. It must be a public address. Leave empty for none."
          />
          {manage && (
            <SubmitButton intent="escalation" pending="Saving…">
              Save escalation settings
            </SubmitButton>
          )}
        </fieldset>
      </Form>
      {webhookSecret && (
        <details className="max-w-2xl rounded-md border border-gray-200 p-4 text-sm dark:border-gray-800">
          <summary className="cursor-pointer font-medium">Check that webhooks come from BizBot</summary>
          <div className="mt-3 space-y-3">
            <p>
              Each delivery carries <code>BizBot-Signature: t=…,v1=…</code>, where <code>v1</code> is the hex HMAC-SHA256 of <code>t</code>, a dot and the raw
              body, keyed with your webhook secret. Recompute it, compare, and reject old timestamps. <code>BizBot-Delivery</code> stays the same across
              retries, so you can drop duplicates.
            </p>
            <div className="flex flex-wrap items-center gap-3">
              <code className="select-all break-all rounded-md bg-gray-100 px-3 py-2 font-mono dark:bg-gray-950">{webhookSecret}</code>
              <CopyButton text={webhookSecret} label="Copy webhook secret" />
            </div>
          </div>
        </details>
      )}
    </Section>
  );
}

function Retention({ loaderData, failure }: SectionProps) {
  const { retention, manage } = loaderData;
  const fields = failure?.problem.fields ?? {};
  const values = failure?.values;
  return (
    <Section title="Data retention" description="How long BizBot keeps what your visitors and servers send. Older data is deleted automatically.">
      <Form method="post" className="max-w-2xl">
        <fieldset disabled={!manage} className="space-y-4">
          <legend className="sr-only">Data retention</legend>
          <FormError message={problemSummary(failure?.problem, ["retention"])} />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Agent inputs and results (days)"
              name="retention.agentInputDays"
              type="number"
              required
              min={1}
              max={3650}
              defaultValue={values?.["retention.agentInputDays"] ?? retention.agentInputDays}
              errors={fields["retention.agentInputDays"]}
              hint="What was sent to each agent run and what it answered; the run’s cost stays in your usage. Default 30."
            />
            <Field
              label="Conversations (days)"
              name="retention.conversationDays"
              type="number"
              min={1}
              max={3650}
              defaultValue={values?.["retention.conversationDays"] ?? retention.conversationDays ?? ""}
              errors={fields["retention.conversationDays"]}
              hint="Counted from a conversation’s last message. Leave empty to keep conversations until you delete them."
            />
          </div>
          {manage && (
            <SubmitButton intent="retention" pending="Saving…">
              Save retention
            </SubmitButton>
          )}
        </fieldset>
      </Form>
    </Section>
  );
}

function RateLimits({ loaderData, failure }: SectionProps) {
  const { rateLimits, manage } = loaderData;
  const fields = failure?.problem.fields ?? {};
  const values = failure?.values;
  const limits = [
    { name: "secretKeyPerHour", label: "Per secret key, an hour", max: 1_000_000, hint: "Calls your servers make to the REST API with one key." },
    { name: "visitorPerMinute", label: "Per visitor, a minute", max: 100_000, hint: "What one visitor’s widget may send." },
    {
      name: "tenantVisitorsPerMinute",
      label: "All visitors, a minute",
      max: 1_000_000,
      hint: "A ceiling on your whole site, however many visitors it has.",
    },
  ] as const;
  return (
    <Section
      title="Rate limits"
      description="The most requests allowed; more are refused with 429 and a Retry-After header. Raise them for busy sites; lower them to cap what a leaked key could do."
    >
      <Form method="post" className="max-w-2xl">
        <fieldset disabled={!manage} className="space-y-4">
          <legend className="sr-only">Rate limits</legend>
          <FormError message={problemSummary(failure?.problem, ["rateLimits"])} />
          <div className="grid gap-4 sm:grid-cols-3">
            {limits.map((limit) => (
              <Field
                key={limit.name}
                label={limit.label}
                name={`rateLimits.${limit.name}`}
                type="number"
                required
                min={1}
                max={limit.max}
                defaultValue={values?.[`rateLimits.${limit.name}`] ?? rateLimits[limit.name]}
                errors={fields[`rateLimits.${limit.name}`]}
                hint={`${limit.hint} Now ${formatNumber(rateLimits[limit.name])}.`}
              />
            ))}
          </div>
          {manage && (
            <SubmitButton intent="rateLimits" pending="Saving…">
              Save rate limits
            </SubmitButton>
          )}
        </fieldset>
      </Form>
    </Section>
  );
}

function DeleteWorkspace({ tenantName, failure }: { tenantName: string; failure: Refusal | null }) {
  return (
    <section aria-labelledby="delete-workspace" className="card space-y-4 border-red-300 dark:border-red-900">
      <div>
        <h2 id="delete-workspace" className="text-lg font-semibold text-red-800 dark:text-red-300">
          Delete this workspace
        </h2>
        <p className="muted mt-1 text-sm">
          Deletes {tenantName} for good: its keys stop working at once, and its knowledge base, conversations, agent runs, credits and team go with it. Unused
          credits are lost. This cannot be undone.
        </p>
      </div>
      <details open={Boolean(failure)}>
        <summary className="btn-secondary cursor-pointer list-none">Delete workspace…</summary>
        <Form method="post" className="mt-4 max-w-xl space-y-4">
          <FormError message={problemSummary(failure?.problem, ["confirmName"])} />
          <Field
            label={`Type ${tenantName} to confirm`}
            name="confirmName"
            required
            autoComplete="off"
            errors={failure?.problem.fields.confirmName}
            hint="Exactly as written, capitals included."
          />
          <SubmitButton intent="delete" variant="danger" pending="Deleting…">
            Delete {tenantName} for good
          </SubmitButton>
        </Form>
      </details>
    </section>
  );
}
