import { Form, Link, redirect } from "react-router";
import { Field, FormError } from "../components/field.tsx";
import { SubmitButton } from "../components/submit-button.tsx";
import { refused, safeNext, text } from "../lib/forms.server.ts";
import { attempt, platform } from "../lib/platform.server.ts";
import { readSession, redirectWithToast, saveSession } from "../lib/session.server.ts";
import type { Route } from "./+types/login";

export function meta() {
  return [{ title: "Sign in · BizBot" }];
}

export async function loader({ request }: Route.LoaderArgs) {
  const url = new URL(request.url);
  const invite = url.searchParams.get("invite");
  if (!invite && (await readSession(request))) throw redirect(safeNext(url.searchParams.get("next")));
  return { next: url.searchParams.get("next"), invite };
}

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData();
  const values = { email: text(form, "email") };
  const client = platform({ request });
  const signedIn = await attempt(() => client.auth.signIn.mutate({ email: values.email, password: String(form.get("password") ?? "") }));
  if (!signedIn.ok) return refused(signedIn.problem, values);
  let tenantId = signedIn.value.memberships[0]?.tenantId;
  const invite = text(form, "invite");
  let message = "Signed in.";
  if (invite) {
    // An invitation accepted by signing in: the user joins that tenant and lands in it.
    const accepted = await attempt(() => platform({ token: signedIn.value.token, request }).team.accept.mutate({ token: invite }));
    if (!accepted.ok) return refused(accepted.problem, values);
    tenantId = accepted.value.tenant.id;
    message = `You have joined ${accepted.value.tenant.name}.`;
  }
  const headers = new Headers({ "set-cookie": await saveSession({ token: signedIn.value.token, tenantId }) });
  return redirectWithToast(safeNext(text(form, "next")), { kind: "success", message }, { headers });
}

export default function SignIn({ loaderData, actionData }: Route.ComponentProps) {
  const fields = actionData?.problem.fields ?? {};
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight">Sign in to BizBot</h1>
      {loaderData.invite && <p className="muted mt-2 text-sm">Sign in to accept your invitation.</p>}
      <Form method="post" className="card mt-6 space-y-4" noValidate>
        <FormError message={actionData?.problem.message} />
        <input type="hidden" name="next" value={loaderData.next ?? ""} />
        <input type="hidden" name="invite" value={loaderData.invite ?? ""} />
        <Field label="Email" name="email" type="email" required autoComplete="email" defaultValue={actionData?.values.email} errors={fields.email} />
        <Field label="Password" name="password" type="password" required autoComplete="current-password" errors={fields.password} />
        <SubmitButton className="w-full" pending="Signing in…">
          Sign in
        </SubmitButton>
        <p className="text-center text-sm">
          <Link className="link" to="/forgot-password">
            Forgot your password?
          </Link>
        </p>
      </Form>
      <p className="muted mt-4 text-center text-sm">
        New to BizBot?{" "}
        <Link className="link" to={loaderData.invite ? `/signup?invite=${encodeURIComponent(loaderData.invite)}` : "/signup"}>
          Create an account
        </Link>
      </p>
    </div>
  );
}
