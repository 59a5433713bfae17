import { Form, useLocation } from "react-router";
import { CodeBlock } from "../components/code-block.tsx";
import { Field, FormError } from "../components/field.tsx";
import { OneTimeSecret } from "../components/one-time-secret.tsx";
import { Badge, EmptyState, formatDateTime, PageHeader, Section } from "../components/page.tsx";
import { problemSummary, type Refusal } from "../components/problem-summary.ts";
import { SubmitButton } from "../components/submit-button.tsx";
import { CreateKey } from "../components/key-create.tsx";
import { originErrors, originLines } from "../components/key-origins.ts";
import { refused, text } from "../lib/forms.server.ts";
import { attempt, PLATFORM_PUBLIC_URL } from "../lib/platform.server.ts";
import { redirectWithToast } from "../lib/session.server.ts";
import { canManage, viewerContext, viewerPlatform } from "../lib/viewer.server.ts";
import type { Route } from "./+types/keys";

export function meta() {
  return [{ title: "API keys · BizBot" }];
}

/** A key within this long of its expiry is flagged: a rolled key's grace period, or one about to lapse. */
const EXPIRY_WARNING_MS = 7 * 86_400_000;

type KeyState = "active" | "expiring" | "expired" | "revoked";

export async function loader({ context, request }: Route.LoaderArgs) {
  const { role } = context.get(viewerContext);
  const listed = await attempt(() => viewerPlatform(context, request).keys.list.query());
  if (!listed.ok) throw new Response(listed.problem.message, { status: listed.problem.status });
  // Decided here, on one clock, so that the server's and the browser's render agree.
  const now = Date.now();
  const stateOf = (key: { revokedAt: string | null; expiresAt: string | null }): KeyState => {
    if (key.revokedAt) return "revoked";
    if (!key.expiresAt) return "active";
    const left = new Date(key.expiresAt).getTime() - now;
    return left <= 0 ? "expired" : left < EXPIRY_WARNING_MS ? "expiring" : "active";
  };
  const keys = listed.value.map((key) => ({ ...key, state: stateOf(key) }));
  return { keys, manage: canManage(role), platformUrl: PLATFORM_PUBLIC_URL };
}

const GRACE_CHOICES = [
  { seconds: 0, label: "Immediately" },
  { seconds: 3600, label: "After 1 hour" },
  { seconds: 86_400, label: "After 24 hours" },
  { seconds: 7 * 86_400, label: "After 7 days" },
];

export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const intent = text(form, "intent");
  const client = viewerPlatform(context, request);

  if (intent === "create") {
    const kind = text(form, "kind") === "secret" ? "secret" : "publishable";
    const mode = text(form, "mode") === "test" ? "test" : "live";
    const values = { intent, kind, mode, name: text(form, "name"), allowedOrigins: text(form, "allowedOrigins"), expiresInDays: text(form, "expiresInDays") };
    const name = values.name || `${kind === "secret" ? "Secret" : "Publishable"} ${mode} key`;
    const created = await attempt(() =>
      client.keys.create.mutate({
        kind,
        mode,
        name,
        // Origins belong to publishable keys; the field is hidden for secret ones, whatever it still holds.
        ...(kind === "publishable" ? { allowedOrigins: originLines(values.allowedOrigins) } : {}),
        ...(values.expiresInDays ? { expiresInDays: Number(values.expiresInDays) } : {}),
      }),
    );
    if (!created.ok) return refused(created.problem, values);
    const key = created.value;
    return {
      secret: {
        title: `Your new key “${key.name}”`,
        key: key.key,
        kind: key.kind,
        originless: key.kind === "publishable" && key.allowedOrigins.length === 0,
        note: null,
      },
    };
  }

  const id = text(form, "id");
  if (intent === "update") {
    const values = { intent, id, name: text(form, "name"), allowedOrigins: text(form, "allowedOrigins") };
    const updated = await attempt(() =>
      client.keys.update.mutate({
        id,
        name: values.name,
        ...(text(form, "kind") === "publishable" ? { allowedOrigins: originLines(values.allowedOrigins) } : {}),
      }),
    );
    if (!updated.ok) return refused(updated.problem, values);
    return redirectWithToast("/keys", { kind: "success", message: `Saved ${updated.value.prefix}…: the change applies at once everywhere.` });
  }

  if (intent === "revoke") {
    const revoked = await attempt(() => client.keys.revoke.mutate({ id }));
    if (!revoked.ok) return refused(revoked.problem, { intent, id });
    return redirectWithToast("/keys", { kind: "success", message: `Revoked ${revoked.value.prefix}…: it stops working everywhere within a second.` });
  }

  if (intent === "roll") {
    const graceSeconds = Number(text(form, "graceSeconds")) || 0;
    const rolled = await attempt(() => client.keys.roll.mutate({ id, graceSeconds }));
    if (!rolled.ok) return refused(rolled.problem, { intent, id });
    const { created, old } = rolled.value;
    const note =
      graceSeconds > 0 && old.expiresAt
        ? `The old key ${old.prefix}… keeps working until ${formatDateTime(String(old.expiresAt))}: deploy the new one before then.`
        : `The old key ${old.prefix}… has stopped working.`;
    return { secret: { title: `The new key for “${created.name}”`, key: created.key, kind: created.kind, originless: false, note } };
  }

  throw new Response("Unknown action", { status: 400 });
}

type Loaded = Route.ComponentProps["loaderData"];
type KeyRow = NonNullable<Loaded["keys"]>[number];

export default function Keys({ loaderData, actionData }: Route.ComponentProps) {
  const { keys, manage, platformUrl } = loaderData;
  const failure = actionData && "problem" in actionData ? actionData : null;
  const secret = actionData && "secret" in actionData ? actionData.secret : null;
  // Forms stay mounted across posts with JavaScript: a new key to show, or a new page, starts them afresh.
  const formsKey = `${useLocation().key}:${secret?.key ?? ""}`;

  return (
    <>
      <PageHeader
        title="API keys"
        description="Publishable keys (pk_…) put the chat widget on your website and work only on the origins you list. Secret keys (sk_…) are for your servers and the REST API: never put one in a web page."
        actions={
          manage && (
            <a href="#create-key" className="btn-primary">
              Create a key
            </a>
          )
        }
      />
      {secret && (
        <OneTimeSecret title={secret.title} secret={secret.key}>
          {secret.note && <p className="text-sm">{secret.note}</p>}
          {secret.originless && (
            <p className="text-sm font-medium">This key allows no website yet: add your site’s origin (Edit, below) or the widget will refuse to load.</p>
          )}
          {secret.kind === "publishable" && (
            <CodeBlock label="Widget snippet" code={`<script src="${platformUrl}/widget.js" data-key="${secret.key}" async></script>`} />
          )}
        </OneTimeSecret>
      )}
      <div key={formsKey} className="space-y-6">
        <KeyGroup
          title="Live keys"
          description="For your real website and servers: live conversations and agent runs spend your credits."
          keys={keys.filter((k) => k.mode === "live")}
          manage={manage}
          failure={failure}
        />
        <KeyGroup
          title="Test keys"
          description="For development and staging: what they do is kept apart from your live data."
          keys={keys.filter((k) => k.mode === "test")}
          manage={manage}
          failure={failure}
        />
        {manage && <CreateKey failure={failure?.values.intent === "create" ? failure : null} />}
      </div>
    </>
  );
}

function KeyGroup({
  title,
  description,
  keys,
  manage,
  failure,
}: {
  title: string;
  description: string;
  keys: KeyRow[];
  manage: boolean;
  failure: Refusal | null;
}) {
  const usable = keys.filter((k) => k.state === "active" || k.state === "expiring");
  const retired = keys.filter((k) => k.state === "revoked" || k.state === "expired");
  return (
    <Section title={title} description={description}>
      {usable.length === 0 ? (
        <EmptyState>
          No {title.toLowerCase()} in use.{" "}
          {manage && (
            <a className="link" href="#create-key">
              Create one
            </a>
          )}
        </EmptyState>
      ) : (
        <ul className="space-y-4">
          {usable.map((key) => (
            <KeyCard key={key.id} apiKey={key} manage={manage} failure={failure?.values.id === key.id ? failure : null} />
          ))}
        </ul>
      )}
      {retired.length > 0 && (
        <details>
          <summary className="link cursor-pointer text-sm">
            {retired.length === 1 ? "1 revoked or expired key" : `${retired.length} revoked or expired keys`}
          </summary>
          <ul className="mt-3 space-y-4">
            {retired.map((key) => (
              <KeyCard key={key.id} apiKey={key} manage={false} failure={null} />
            ))}
          </ul>
        </details>
      )}
    </Section>
  );
}

function StateBadge({ apiKey }: { apiKey: KeyRow }) {
  switch (apiKey.state) {
    case "revoked":
      return <Badge tone="red">Revoked</Badge>;
    case "expired":
      return <Badge tone="red">Expired</Badge>;
    case "expiring":
      return <Badge tone="amber">Expires soon</Badge>;
    default:
      return <Badge tone="green">Active</Badge>;
  }
}

function KeyCard({ apiKey, manage, failure }: { apiKey: KeyRow; manage: boolean; failure: Refusal | null }) {
  const publishable = apiKey.kind === "publishable";
  const retired = apiKey.state === "revoked" || apiKey.state === "expired";
  return (
    <li className={`rounded-md border border-gray-200 p-4 dark:border-gray-800 ${retired ? "bg-gray-50 dark:bg-gray-950" : ""}`}>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-semibold">{apiKey.name || "Untitled key"}</h3>
        <Badge tone={publishable ? "indigo" : "gray"}>{publishable ? "Publishable" : "Secret"}</Badge>
        <Badge tone={apiKey.mode === "live" ? "green" : "amber"}>{apiKey.mode === "live" ? "Live" : "Test"}</Badge>
        <StateBadge apiKey={apiKey} />
      </div>
      <p className="mt-1 font-mono text-sm">
        {apiKey.prefix}…<span className="sr-only"> (only the start of the key is kept)</span>
      </p>
      <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-4">
        {publishable && (
          <div className="sm:col-span-2 lg:col-span-4">
            <dt className="muted text-xs">Allowed origins</dt>
            <dd>
              {apiKey.allowedOrigins.length ? (
                <ul className="flex flex-wrap gap-1">
                  {apiKey.allowedOrigins.map((origin) => (
                    <li key={origin}>
                      <code className="rounded bg-gray-100 px-1.5 py-0.5 text-xs dark:bg-gray-800">{origin}</code>
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="text-amber-800 dark:text-amber-300">None: the widget is refused on every website until you add one.</span>
              )}
            </dd>
          </div>
        )}
        <div>
          <dt className="muted text-xs">Created</dt>
          <dd>{formatDateTime(String(apiKey.createdAt))}</dd>
        </div>
        <div>
          <dt className="muted text-xs">Last used</dt>
          <dd>{apiKey.lastUsedAt ? formatDateTime(String(apiKey.lastUsedAt)) : "Never"}</dd>
        </div>
        <div>
          <dt className="muted text-xs">Expires</dt>
          <dd>{apiKey.expiresAt ? formatDateTime(String(apiKey.expiresAt)) : "Never"}</dd>
        </div>
        {apiKey.revokedAt && (
          <div>
            <dt className="muted text-xs">Revoked</dt>
            <dd>{formatDateTime(String(apiKey.revokedAt))}</dd>
          </div>
        )}
      </dl>
      {manage && !retired && <KeyActions apiKey={apiKey} failure={failure} />}
    </li>
  );
}

/** Edit, roll and revoke, each behind a disclosure: the second click is the confirmation, and no script is needed. */
function KeyActions({ apiKey, failure }: { apiKey: KeyRow; failure: Refusal | null }) {
  const failed = (intent: string) => (failure?.values.intent === intent ? failure : null);
  const editing = failed("update");
  const publishable = apiKey.kind === "publishable";
  const disclosure = "min-w-0 open:basis-full";
  const summary = "btn-secondary cursor-pointer list-none px-3 py-1 text-xs";
  return (
    <div className="mt-4 flex flex-wrap gap-2">
      <details className={disclosure} open={Boolean(editing)}>
        <summary className={summary}>Edit</summary>
        <Form method="post" className="mt-3 max-w-xl space-y-4">
          <FormError message={problemSummary(editing?.problem, ["name", "allowedOrigins"])} />
          <input type="hidden" name="id" value={apiKey.id} />
          <input type="hidden" name="kind" value={apiKey.kind} />
          <Field label="Name" name="name" defaultValue={editing?.values.name ?? apiKey.name} errors={editing?.problem.fields.name} />
          {publishable && (
            <Field
              label="Allowed origins"
              name="allowedOrigins"
              multiline
              rows={4}
              defaultValue={editing?.values.allowedOrigins ?? apiKey.allowedOrigins.join("\n")}
              errors={editing ? originErrors(editing.problem.fields, editing.values.allowedOrigins) : undefined}
              hint="One a line, such as https://shop.example.com, or https://*.example.com for every subdomain. Changes apply at once."
            />
          )}
          <SubmitButton intent="update" pending="Saving…">
            Save changes
          </SubmitButton>
        </Form>
      </details>
      <details className={disclosure} open={Boolean(failed("roll"))}>
        <summary className={summary}>Roll</summary>
        <Form method="post" className="mt-3 max-w-xl space-y-4">
          <FormError message={failed("roll")?.problem.message} />
          <p className="text-sm">
            Rolling makes a new key with the same name{publishable ? ", origins" : ""} and mode, shown to you once. Use it when a key may have leaked, or to
            rotate keys regularly.
          </p>
          <input type="hidden" name="id" value={apiKey.id} />
          <Field label="The old key stops working" name="graceSeconds">
            {(props) => (
              <select {...props} className="input max-w-xs" defaultValue="0">
                {GRACE_CHOICES.map((choice) => (
                  <option key={choice.seconds} value={choice.seconds}>
                    {choice.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <SubmitButton intent="roll" variant="secondary" pending="Rolling…">
            Roll {apiKey.prefix}…
          </SubmitButton>
        </Form>
      </details>
      <details className={disclosure} open={Boolean(failed("revoke"))}>
        <summary className={summary}>Revoke</summary>
        <Form method="post" className="mt-3 max-w-xl space-y-3">
          <FormError message={failed("revoke")?.problem.message} />
          <p className="text-sm">
            {publishable ? "The widget on your website" : "Every server using this key"} stops working within a second. This cannot be undone.
          </p>
          <input type="hidden" name="id" value={apiKey.id} />
          <SubmitButton intent="revoke" variant="danger" pending="Revoking…">
            Revoke {apiKey.prefix}… for good
          </SubmitButton>
        </Form>
      </details>
    </div>
  );
}
