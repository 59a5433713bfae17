import { Form } from "react-router";

export function meta() {
  return [{ title: "No workspace · BizBot" }];
}

/** A signed-in person who belongs to no tenant any more (removed from the team, or the tenant was deleted). */
export default function NoTenant() {
  return (
    <div className="mx-auto max-w-md px-4 py-12">
      <h1 className="text-2xl font-bold tracking-tight">You are not part of any team</h1>
      <p className="muted mt-2">
        Your account is no longer a member of a BizBot tenant. Ask an owner to invite you again, or sign out and create a new account.
      </p>
      <Form method="post" action="/logout" className="mt-6">
        <button type="submit" className="btn-secondary">
          Sign out
        </button>
      </Form>
    </div>
  );
}
