import { Form, Link, redirect } from "react-router";
import { Field, FormError } from "../components/field.tsx";
import { SubmitButton } from "../components/submit-button.tsx";
import { refused, text } from "../lib/forms.server.ts";
import { attempt, platform } from "../lib/platform.server.ts";
import { readSession, redirectWithToast, saveSession } from "../lib/session.server.ts";
import type { Route } from "./+types/signup";

export function meta() {
  return [{ title: "Sign up · BizBot" }];
}

export async function loader({ request }: Route.LoaderArgs) {
  if (await readSession(request)) throw redirect("/dashboard");
  const url = new URL(request.url);
  const invite = url.searchParams.get("invite");
  if (!invite) return { invitation: null, from: url.searchParams.get("from") };
  const preview = await attempt(() => platform({ request }).team.invitation.query({ token: invite }));
  return { invitation: preview.ok ? { token: invite, ...preview.value } : { token: invite, error: preview.problem.message }, from: null };
}

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData();
  const invitation = text(form, "invitation") || undefined;
  const values = { email: text(form, "email"), tenantName: text(form, "tenantName") };
  const result = await attempt(() =>
    platform({ request }).auth.signUp.mutate({
      email: values.email,
      password: String(form.get("password") ?? ""),
      ...(invitation ? { invitation } : { tenantName: values.tenantName }),
      ...(text(form, "from") === "trial" && !invitation ? { source: "widget-trial" as const } : {}),
    }),
  );
  if (!result.ok) return refused(result.problem, values);
  const tenantId = result.value.memberships[0]?.tenantId;
  const headers = new Headers({ "set-cookie": await saveSession({ token: result.value.token, tenantId }) });
  const message = invitation ? "Welcome! You have joined the team." : "Welcome to BizBot! Your account is ready.";
  return redirectWithToast("/dashboard", { kind: "success", message }, { headers });
}

export default function SignUp({ loaderData, actionData }: Route.ComponentProps) {
  const { invitation, from } = loaderData;
  const fields = actionData?.problem.fields ?? {};
  const invited = invitation && !("error" in invitation) ? invitation : null;
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight">{invited ? `Join ${invited.tenantName} on BizBot` : "Create your BizBot account"}</h1>
      <p className="muted mt-2 text-sm">
        {invited
          ? `You were invited as ${invited.role}.`
          : "Free to start: your account comes with test and live API keys and a free trial of the Ticket Resolver."}
      </p>
      {invitation && "error" in invitation && (
        <p role="alert" className="mt-4 text-sm text-red-700 dark:text-red-400">
          {invitation.error}
        </p>
      )}
      <Form method="post" className="card mt-6 space-y-4" noValidate>
        <FormError message={actionData?.problem.message} />
        {invited ? <input type="hidden" name="invitation" value={invited.token} /> : <input type="hidden" name="from" value={from ?? ""} />}
        {!invited && (
          <Field
            label="Company name"
            name="tenantName"
            required
            autoComplete="organization"
            defaultValue={actionData?.values.tenantName}
            errors={fields.tenantName}
          />
        )}
        <Field
          label="Email"
          name="email"
          type="email"
          required
          autoComplete="email"
          defaultValue={actionData?.values.email ?? invited?.email}
          errors={fields.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          required
          autoComplete="new-password"
          hint="At least 10 characters, and not a common password."
          errors={fields.password}
        />
        <SubmitButton className="w-full" pending="Creating your account…">
          Sign up
        </SubmitButton>
      </Form>
      <p className="muted mt-4 text-center text-sm">
        Already have an account?{" "}
        <Link className="link" to={invited ? `/login?invite=${encodeURIComponent(invited.token)}` : "/login"}>
          Sign in
        </Link>
      </p>
    </div>
  );
}
