import { Form, Link } from "react-router";
import { Field, FormError } from "../components/field.tsx";
import { SubmitButton } from "../components/submit-button.tsx";
import { refused, text } from "../lib/forms.server.ts";
import { attempt, platform } from "../lib/platform.server.ts";
import { redirectWithToast, saveSession } from "../lib/session.server.ts";
import type { Route } from "./+types/reset-password";

export function meta() {
  return [{ title: "Choose a new password · BizBot" }];
}

export function loader({ request }: Route.LoaderArgs) {
  return { token: new URL(request.url).searchParams.get("token") ?? "" };
}

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData();
  const result = await attempt(() =>
    platform({ request }).auth.resetPassword.mutate({ token: text(form, "token"), password: String(form.get("password") ?? "") }),
  );
  if (!result.ok) return refused(result.problem);
  const headers = new Headers({ "set-cookie": await saveSession({ token: result.value.token, tenantId: result.value.memberships[0]?.tenantId }) });
  return redirectWithToast("/dashboard", { kind: "success", message: "Your password is changed, and every other session is signed out." }, { headers });
}

export default function ResetPassword({ loaderData, actionData }: Route.ComponentProps) {
  const fields = actionData?.problem.fields ?? {};
  if (!loaderData.token) {
    return (
      <div className="mx-auto max-w-md px-4 py-12">
        <h1 className="text-2xl font-bold tracking-tight">This link is incomplete</h1>
        <p className="muted mt-2">
          Open the link from the e-mail again, or{" "}
          <Link className="link" to="/forgot-password">
            ask for a new one
          </Link>
          .
        </p>
      </div>
    );
  }
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight">Choose a new password</h1>
      <Form method="post" className="card mt-6 space-y-4" noValidate>
        <FormError message={actionData?.problem.message} />
        <input type="hidden" name="token" value={loaderData.token} />
        <Field
          label="New password"
          name="password"
          type="password"
          required
          autoComplete="new-password"
          hint="At least 10 characters, and not a common password."
          errors={fields.password}
        />
        <SubmitButton className="w-full" pending="Saving…">
          Save the new password
        </SubmitButton>
      </Form>
      <p className="mt-4 text-center text-sm">
        <Link className="link" to="/forgot-password">
          Ask for a new link
        </Link>
      </p>
    </div>
  );
}
