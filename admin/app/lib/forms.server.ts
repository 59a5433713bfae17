import { data } from "react-router";
import type { Problem } from "./platform.server.ts";

/** A text field of a posted form, trimmed; absent or not text is "". */
export function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}

/** The answer of an action the platform refused: the page shows the message and each field's errors. */
export function refused(problem: Problem, values?: Record<string, string>) {
  return data(
    { problem: { message: problem.message, fields: problem.fields }, values: values ?? {} },
    { status: problem.status >= 500 ? 503 : problem.status },
  );
}

/** A same-site path to go to after signing in; anything else (another site, a protocol-relative URL) is the dashboard. */
export function safeNext(next: string | null): string {
  return next && /^\/(?![/\\])/.test(next) ? next : "/dashboard";
}
