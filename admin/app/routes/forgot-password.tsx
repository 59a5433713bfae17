import { Form, Link } from "react-router";
import { Field, FormError } from "../components/field.tsx";
import { SubmitButton } from "../components/submit-button.tsx";
import { refused, text } from "../lib/forms.server.ts";
import { attempt, platform } from "../lib/platform.server.ts";
import type { Route } from "./+types/forgot-password";

export function meta() {
  return [{ title: "Reset your password · BizBot" }];
}

export async function action({ request }: Route.ActionArgs) {
  const email = text(await request.formData(), "email");
  const result = await attempt(() => platform({ request }).auth.requestPasswordReset.mutate({ email }));
  if (!result.ok) return refused(result.problem, { email });
  // The same answer whether or not the address has an account, so this page tells nobody who is a customer.
  return { sent: email };
}

export default function ForgotPassword({ actionData }: Route.ComponentProps) {
  const sent = actionData && "sent" in actionData ? actionData.sent : null;
  const problem = actionData && "problem" in actionData ? actionData.problem : null;
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight">Reset your password</h1>
      {sent ? (
        <p role="status" className="card mt-6 text-sm">
          If <strong>{sent}</strong> has a BizBot account, an e-mail with a link to choose a new password is on its way. The link works once, within an hour.
        </p>
      ) : (
        <Form method="post" className="card mt-6 space-y-4" noValidate>
          <p className="muted text-sm">Enter your account's e-mail address and we will send you a link to choose a new password.</p>
          <FormError message={problem?.message} />
          <Field label="Email" name="email" type="email" required autoComplete="email" errors={problem?.fields.email} />
          <SubmitButton className="w-full" pending="Sending…">
            Send the link
          </SubmitButton>
        </Form>
      )}
      <p className="mt-4 text-center text-sm">
        <Link className="link" to="/login">
          Back to sign in
        </Link>
      </p>
    </div>
  );
}
