import { type ChangeEvent, useState } from "react";
import { Form, Link } from "react-router";
import { ChoiceGroup } from "../components/choice-group.tsx";
import { CodeBlock } from "../components/code-block.tsx";
import { CopyButton } from "../components/copy-button.tsx";
import { Field, FormError } from "../components/field.tsx";
import { PageHeader, Section } from "../components/page.tsx";
import { problemSummary, type Refusal } from "../components/problem-summary.ts";
import { SubmitButton } from "../components/submit-button.tsx";
import { WidgetPreview } from "../components/widget-preview.tsx";
import { refused, text } from "../lib/forms.server.ts";
import { attempt, PLATFORM_PUBLIC_URL } from "../lib/platform.server.ts";
import { redirectWithToast } from "../lib/session.server.ts";
import { canManage, viewerContext, viewerPlatform } from "../lib/viewer.server.ts";
import type { Route } from "./+types/widget";

export function meta() {
  return [{ title: "Widget · BizBot" }];
}

const POSITIONS = ["bottom-right", "bottom-left"] as const;
const THEMES = ["auto", "light", "dark"] as const;
const LOCALES = [
  { value: "auto", label: "Automatic: the language of the page" },
  { value: "en", label: "English" },
  { value: "es", label: "Español" },
  { value: "fr", label: "Français" },
  { value: "de", label: "Deutsch" },
  { value: "ar", label: "العربية (right to left)" },
] as const;

const oneOf = <T extends string>(value: string, allowed: readonly T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);

export async function loader({ context, request }: Route.LoaderArgs) {
  const { role } = context.get(viewerContext);
  const client = viewerPlatform(context, request);
  // One batched request: the settings, the keys and the owner's identity secret.
  const [settings, keys, secrets] = await Promise.all([
    attempt(() => client.settings.get.query()),
    attempt(() => client.keys.list.query()),
    role === "owner" ? attempt(() => client.settings.chatSecrets.query()) : null,
  ]);
  if (!settings.ok) throw new Response(settings.problem.message, { status: settings.problem.status });

  const now = Date.now();
  const publishable = keys.ok
    ? keys.value.filter((k) => k.kind === "publishable" && !k.revokedAt && (!k.expiresAt || new Date(k.expiresAt).getTime() > now))
    : [];
  // The portal's own preview key draws the widget here; the tenant's site needs one of their keys (the snippet).
  const preview = await attempt(() => client.widget.previewKey.query());

  return {
    manage: canManage(role),
    owner: role === "owner",
    platformUrl: PLATFORM_PUBLIC_URL,
    widget: settings.value.widget,
    botName: settings.value.chat.botName,
    previewKey: preview.ok ? preview.value.publishableKey : null,
    previewError: preview.ok ? null : preview.problem.message,
    hasPublishableKey: publishable.some((k) => !k.name.startsWith("Portal preview")),
    identitySecret: secrets?.ok ? secrets.value.identitySecret : null,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const form = await request.formData();
  const values = {
    botName: text(form, "chat.botName"),
    greeting: text(form, "widget.greeting"),
    brandColor: text(form, "widget.brandColor"),
    launcherLabel: text(form, "widget.launcherLabel"),
    position: text(form, "widget.position"),
    theme: text(form, "widget.theme"),
    locale: text(form, "widget.locale"),
    cta: form.get("cta") === "on" ? "on" : "",
    ctaLabel: text(form, "widget.callToAction.label"),
    ctaUrl: text(form, "widget.callToAction.url"),
  };
  // Two inputs edit the colour: with JavaScript they mirror each other; without, the one the user changed wins.
  const typed = values.brandColor.replace(/^#?/, "#");
  const brandColor = typed !== text(form, "brandColorBefore") ? typed : text(form, "brandColorPicker");
  const saved = await attempt(() =>
    viewerPlatform(context, request).settings.update.mutate({
      chat: { botName: values.botName },
      widget: {
        greeting: values.greeting,
        brandColor,
        launcherLabel: values.launcherLabel,
        position: oneOf(values.position, POSITIONS, "bottom-right"),
        theme: oneOf(values.theme, THEMES, "auto"),
        locale: oneOf(
          values.locale,
          LOCALES.map((l) => l.value),
          "auto",
        ),
        callToAction: values.cta ? { label: values.ctaLabel, url: values.ctaUrl } : null,
      },
    }),
  );
  if (!saved.ok) return refused(saved.problem, { ...values, brandColor });
  return redirectWithToast("/widget", {
    kind: "success",
    message: "Widget saved. Visitors see the change on their next page load.",
  });
}

type Loaded = Route.ComponentProps["loaderData"];

export default function WidgetPage({ loaderData, actionData }: Route.ComponentProps) {
  const { widget, botName, platformUrl } = loaderData;
  return (
    <>
      <PageHeader
        title="Widget"
        description="How the chat widget looks on your website, a live preview, and the snippet to install it. Which agents it offers is set on the Agents page."
      />
      <div className="space-y-6">
        <LookForm loaderData={loaderData} failure={actionData ?? null} />
        <Preview loaderData={loaderData} version={JSON.stringify({ widget, botName })} />
        <Install platformUrl={platformUrl} hasPublishableKey={loaderData.hasPublishableKey} />
        <JavaScriptApi />
        <IdentityVerification owner={loaderData.owner} identitySecret={loaderData.identitySecret} />
      </div>
    </>
  );
}

function LookForm({ loaderData, failure }: { loaderData: Loaded; failure: Refusal | null }) {
  const { widget, botName, manage } = loaderData;
  const values = failure?.values;
  const fields = failure?.problem.fields ?? {};
  const [color, setColor] = useState(values?.brandColor ?? widget.brandColor);
  const cta = values ? values.cta === "on" : widget.callToAction !== null;
  const onHex = (event: ChangeEvent<HTMLInputElement>) => setColor(event.target.value);
  const validColor = /^#[0-9a-fA-F]{6}$/.test(color) ? color.toLowerCase() : widget.brandColor;

  return (
    <Section title="Look and feel" description={manage ? "Saved for every page your widget is on." : "Only owners and admins can change these."}>
      <Form method="post" className="max-w-2xl">
        <fieldset disabled={!manage} className="space-y-5">
          <legend className="sr-only">Widget settings</legend>
          <FormError message={problemSummary(failure?.problem, ["chat.botName", "widget"])} />
          <input type="hidden" name="brandColorBefore" value={widget.brandColor} />
          <Field
            label="Bot name"
            name="chat.botName"
            required
            defaultValue={values?.botName ?? botName}
            errors={fields["chat.botName"]}
            hint="Shown at the top of the chat panel."
          />
          <Field
            label="Greeting"
            name="widget.greeting"
            multiline
            rows={2}
            required
            defaultValue={values?.greeting ?? widget.greeting}
            errors={fields["widget.greeting"]}
            hint="The first message visitors see; up to 300 characters."
          />
          <div className="grid gap-4 sm:grid-cols-[auto_1fr] sm:items-start">
            <Field label="Brand colour" name="brandColorPicker">
              {(props) => (
                <input
                  {...props}
                  type="color"
                  value={validColor}
                  onChange={onHex}
                  className="h-10 w-20 cursor-pointer rounded-md border border-gray-300 bg-white p-1 dark:border-gray-700 dark:bg-gray-900"
                />
              )}
            </Field>
            <Field
              label="Colour as hex"
              name="widget.brandColor"
              errors={fields["widget.brandColor"]}
              hint="Such as #2563eb. The widget picks a text colour on it that stays readable."
            >
              {(props) => (
                <input {...props} value={color} onChange={onHex} pattern="#?[0-9a-fA-F]{6}" maxLength={7} spellCheck={false} className="input font-mono" />
              )}
            </Field>
          </div>
          <Field
            label="Launcher label"
            name="widget.launcherLabel"
            required
            defaultValue={values?.launcherLabel ?? widget.launcherLabel}
            errors={fields["widget.launcherLabel"]}
            hint="The launcher button’s name for screen readers and its tooltip; up to 40 characters."
          />
          <ChoiceGroup
            legend="Position"
            name="widget.position"
            defaultValue={values?.position ?? widget.position}
            errors={fields["widget.position"]}
            choices={[
              { value: "bottom-right", label: "Bottom right" },
              { value: "bottom-left", label: "Bottom left" },
            ]}
          />
          <ChoiceGroup
            legend="Theme"
            name="widget.theme"
            defaultValue={values?.theme ?? widget.theme}
            errors={fields["widget.theme"]}
            choices={[
              { value: "auto", label: "Automatic", hint: "Follows the visitor’s system" },
              { value: "light", label: "Light" },
              { value: "dark", label: "Dark" },
            ]}
          />
          <Field label="Language" name="widget.locale" errors={fields["widget.locale"]} hint="The language of the widget’s own buttons and messages.">
            {(props) => (
              <select {...props} defaultValue={values?.locale ?? widget.locale} className="input">
                {LOCALES.map((locale) => (
                  <option key={locale.value} value={locale.value}>
                    {locale.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset className="group/cta space-y-3 rounded-md border border-gray-200 p-4 dark:border-gray-800">
            <legend className="px-1 text-sm font-medium">Call to action</legend>
            <label className="flex items-start gap-2 text-sm">
              <input type="checkbox" name="cta" defaultChecked={cta} className="mt-0.5 accent-indigo-600" />
              <span>
                Offer a link when a visitor’s free agent runs are used up
                <span className="muted block text-xs">Without one, the widget only says that the free runs are used up.</span>
              </span>
            </label>
            {/* Hidden by CSS alone while the box is unticked; the action ignores the fields then. */}
            <div className="grid gap-4 group-has-[[name=cta]:not(:checked)]/cta:hidden sm:grid-cols-2">
              <Field
                label="Link text"
                name="widget.callToAction.label"
                defaultValue={values?.ctaLabel ?? widget.callToAction?.label}
                placeholder="Start your free trial"
                errors={fields["widget.callToAction.label"] ?? fields["widget.callToAction"]}
              />
              <Field
                label="Link address"
                name="widget.callToAction.url"
                type="url"
                defaultValue={values?.ctaUrl ?? widget.callToAction?.url}
                placeholder="https://example.com/signup"
                errors={fields["widget.callToAction.url"]}
              />
            </div>
          </fieldset>
          {manage && <SubmitButton pending="Saving…">Save widget</SubmitButton>}
        </fieldset>
      </Form>
    </Section>
  );
}

function Preview({ loaderData, version }: { loaderData: Loaded; version: string }) {
  const { previewKey, previewError, platformUrl } = loaderData;
  return (
    <Section title="Live preview" description="The real widget, loaded from BizBot as your visitors get it. It reloads after every save.">
      {previewKey ? (
        <WidgetPreview platformUrl={platformUrl} publishableKey={previewKey} version={version} />
      ) : (
        <FormError message={previewError ?? undefined} />
      )}
    </Section>
  );
}

function Install({ platformUrl, hasPublishableKey }: { platformUrl: string; hasPublishableKey: boolean }) {
  const snippet = `<script src="${platformUrl}/widget.js" data-key="pk_live_…" async></script>`;
  return (
    <Section title="Add the widget to your site" description="Paste this tag into every page where the widget should appear, just before </body>.">
      <CodeBlock label="Snippet" code={snippet} />
      <ul className="muted list-disc space-y-1 pl-5 text-sm">
        <li>
          Replace <code>pk_live_…</code> with your publishable key, shown once when it was made (
          <Link className="link" to="/keys">
            {hasPublishableKey ? "API keys" : "create one on the API keys page"}
          </Link>
          ). Use a test key on staging sites.
        </li>
        <li>Add your site’s origin, such as https://shop.example.com, to the key’s allowed origins, or the widget will not load there.</li>
        <li>
          Optional attributes: <code>data-position="bottom-left"</code>, <code>data-locale="fr"</code>, <code>data-open</code> (open on load).
        </li>
      </ul>
    </Section>
  );
}

const API_CHEAT_SHEET = `// Define BizBot before the tag loads, so calls made early are queued:
window.BizBot = window.BizBot || function () { (BizBot.q = BizBot.q || []).push(arguments); };

BizBot("open");     // also "close" and "toggle"
BizBot("identify", { userId: "u_123", name: "Ada", email: "ada@example.com", userHash });
BizBot("on", "message", (message) => console.log("The bot answered", message.id));
BizBot("on", "unread", (count) => console.log(count, "unread"));
BizBot("update", { position: "bottom-left", locale: "fr" });
BizBot("shutdown"); // on sign-out: forgets the visitor, the conversation and the identity`;

function JavaScriptApi() {
  return (
    <Section title="JavaScript API" description="Control the widget from your page’s own scripts.">
      <CodeBlock label="Commands" code={API_CHEAT_SHEET} />
      <p className="muted text-sm">
        Events: <code>ready</code>, <code>open</code>, <code>close</code>, <code>message</code>, <code>unread</code>, <code>error</code>.
      </p>
    </Section>
  );
}

const HASH_SAMPLES = [
  {
    label: "Node.js",
    code: `import { createHmac } from "node:crypto";

const userHash = createHmac("sha256", process.env.BIZBOT_IDENTITY_SECRET)
  .update(String(user.id))
  .digest("hex");`,
  },
  {
    label: "Python",
    code: `import hashlib, hmac, os

user_hash = hmac.new(
    os.environ["BIZBOT_IDENTITY_SECRET"].encode(),
    str(user.id).encode(),
    hashlib.sha256,
).hexdigest()`,
  },
  {
    label: "PHP",
    code: `$userHash = hash_hmac('sha256', (string) $user->id, getenv('BIZBOT_IDENTITY_SECRET'));`,
  },
];

function IdentityVerification({ owner, identitySecret }: { owner: boolean; identitySecret: string | null }) {
  return (
    <Section
      title="Identity verification"
      description="Tell the widget who a signed-in visitor is, so their conversations follow them across devices. Your server signs the user’s id, so nobody can pretend to be someone else."
    >
      {owner && identitySecret ? (
        <details className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-50">
          <summary className="cursor-pointer font-medium">Show the identity secret</summary>
          <div className="mt-3 space-y-3">
            <p>Keep it on your servers, like a password: anyone who has it can sign in as any of your users in the chat.</p>
            <div className="flex flex-wrap items-center gap-3">
              <code className="select-all break-all rounded-md border border-amber-300 bg-white px-3 py-2 font-mono text-gray-900 dark:border-amber-800 dark:bg-gray-950 dark:text-gray-100">
                {identitySecret}
              </code>
              <CopyButton text={identitySecret} label="Copy secret" />
            </div>
          </div>
        </details>
      ) : (
        <p className="rounded-md border border-gray-200 px-4 py-3 text-sm dark:border-gray-800">Only an owner of this workspace can see the identity secret.</p>
      )}
      <ol className="list-decimal space-y-2 pl-5 text-sm">
        <li>
          Store the secret on your server, for instance as <code>BIZBOT_IDENTITY_SECRET</code>, exactly as shown.
        </li>
        <li>
          For each signed-in user, compute <code>userHash</code>: the HMAC-SHA256 of their <code>userId</code> with the secret as key, in lowercase hex. The id
          is the same text you pass to <code>identify</code>, without surrounding spaces, up to 200 characters.
        </li>
        <li>
          Put both in the page:{" "}
          <code>
            BizBot("identify", {"{"} userId, userHash, name, email {"}"})
          </code>
          .
        </li>
      </ol>
      {HASH_SAMPLES.map((sample) => (
        <CodeBlock key={sample.label} label={sample.label} code={sample.code} copyLabel={`Copy the ${sample.label} code`} />
      ))}
    </Section>
  );
}
