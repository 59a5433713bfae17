import { Form } from "react-router";
import { Confirm } from "../components/confirm.tsx";
import { Field, FormError } from "../components/field.tsx";
import { Badge, EmptyState, formatDateTime, PageHeader, Section } from "../components/page.tsx";
import { RoleGuide } from "../components/role-guide.tsx";
import { SubmitButton } from "../components/submit-button.tsx";
import { TableScroll } from "../components/table-scroll.tsx";
import { refused, text } from "../lib/forms.server.ts";
import { attempt } from "../lib/platform.server.ts";
import { redirectWithToast } from "../lib/session.server.ts";
import { type Role, viewerContext, viewerPlatform } from "../lib/viewer.server.ts";
import type { Route } from "./+types/team";

export function meta() {
  return [{ title: "Team · BizBot" }];
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const viewer = context.get(viewerContext);
  const team = await attempt(() => viewerPlatform(context, request).team.list.query());
  if (!team.ok) throw new Response(team.problem.message, { status: team.problem.status });
  return { ...team.value, me: viewer.user.id, role: viewer.role, tenantName: viewer.tenant.name };
}

// Form values are passed on as typed; the platform validates them and its refusal names the field.
const asRole = (value: string) => value as Role;
const asInvitedRole = (value: string) => value as Exclude<Role, "owner">;

export async function action({ context, request }: Route.ActionArgs) {
  const viewer = context.get(viewerContext);
  const client = viewerPlatform(context, request);
  const form = await request.formData();
  const intent = text(form, "intent");
  const email = text(form, "email");

  switch (intent) {
    case "invite": {
      const values = { intent, email, role: text(form, "role"), resend: text(form, "resend") };
      const sent = await attempt(() => client.team.invite.mutate({ email, role: asInvitedRole(values.role) }));
      if (!sent.ok) return refused(sent.problem, values);
      return redirectWithToast("/team", {
        kind: "success",
        message: `Invitation e-mailed to ${sent.value.email}. They join by signing up or signing in with that address within 7 days.`,
      });
    }
    case "change-role": {
      const values = { intent, userId: text(form, "userId"), role: text(form, "role") };
      const changed = await attempt(() => client.team.changeRole.mutate({ userId: values.userId, role: asRole(values.role) }));
      if (!changed.ok) return refused(changed.problem, values);
      return redirectWithToast("/team", { kind: "success", message: `${changed.value.email} is now ${article(changed.value.role)} ${changed.value.role}.` });
    }
    case "remove": {
      const values = { intent, userId: text(form, "userId") };
      const removed = await attempt(() => client.team.remove.mutate({ userId: values.userId }));
      if (!removed.ok) return refused(removed.problem, values);
      if (values.userId === viewer.user.id) {
        // The session still points at the workspace just left: the next page falls back to another one, or none.
        return redirectWithToast("/dashboard", { kind: "success", message: `You left ${viewer.tenant.name}.` });
      }
      return redirectWithToast("/team", { kind: "success", message: `${email || "The member"} was removed from the team.` });
    }
    case "revoke": {
      const values = { intent, id: text(form, "id") };
      const revoked = await attempt(() => client.team.revokeInvitation.mutate({ id: values.id }));
      if (!revoked.ok) return refused(revoked.problem, values);
      return redirectWithToast("/team", { kind: "success", message: `The invitation for ${revoked.value.email} was withdrawn; its link no longer works.` });
    }
    default:
      throw new Response("Unknown action", { status: 400 });
  }
}

const article = (role: string) => (role === "admin" || role === "owner" ? "an" : "a");

const roleTone = { owner: "indigo", admin: "green", member: "gray" } as const;

export default function Team({ loaderData, actionData }: Route.ComponentProps) {
  const { members, invitations, me, role, tenantName } = loaderData;
  const isOwner = role === "owner";
  const problem = actionData?.problem;
  const failed: Record<string, string | undefined> = actionData?.values ?? {};
  // The invitation form at the top, as opposed to "Send again" in the list of invitations.
  const inviteFailed = failed.intent === "invite" && !failed.resend;
  const owners = members.filter((m) => m.role === "owner").map((m) => m.email);

  return (
    <div className="max-w-5xl space-y-6">
      <PageHeader title="Team" description={`The people who can sign in to ${tenantName}, and what each of them may do.`} />

      {isOwner ? (
        <Section
          title="Invite someone"
          description="We e-mail them a link. They sign up, or sign in if they already use BizBot, with the invited address to join."
        >
          <Form method="post" className="space-y-4" noValidate>
            {/* Errors of one field show beside it; the form's own message is for the rest. */}
            <FormError message={inviteFailed && problem && Object.keys(problem.fields).length === 0 ? problem.message : undefined} />
            <input type="hidden" name="resend" value="" />
            <div className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start">
              <Field
                label="Email"
                name="email"
                type="email"
                required
                autoComplete="off"
                placeholder="colleague@example.com"
                defaultValue={inviteFailed ? failed.email : undefined}
                errors={inviteFailed ? problem?.fields.email : undefined}
              />
              <Field label="Role" name="role" errors={inviteFailed ? problem?.fields.role : undefined}>
                {(props) => (
                  <select {...props} className="input" defaultValue={inviteFailed ? failed.role : "member"}>
                    <option value="member">Member (read only)</option>
                    <option value="admin">Admin</option>
                  </select>
                )}
              </Field>
              <SubmitButton intent="invite" match={{ resend: "" }} pending="Sending…" className="sm:mt-6">
                Send invitation
              </SubmitButton>
            </div>
            <p className="muted text-xs">The link works once, for that address, for 7 days. To make someone an owner, invite them, then change their role.</p>
          </Form>
        </Section>
      ) : (
        <p className="rounded-md border border-gray-200 bg-white px-4 py-3 text-sm dark:border-gray-800 dark:bg-gray-900">
          Only owners can invite people, change roles or remove members.{" "}
          {owners.length > 0 && (
            <>
              Ask {owners.length === 1 ? "the owner" : "an owner"}: {owners.join(", ")}.
            </>
          )}{" "}
          You can leave the team yourself.
        </p>
      )}

      <Section title={`Members (${members.length})`}>
        <FormError message={failed.intent === "change-role" || failed.intent === "remove" ? problem?.message : undefined} />
        <TableScroll label="Table of members">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Role</th>
                <th scope="col">Joined</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const self = m.userId === me;
                return (
                  <tr key={m.userId}>
                    <td>
                      {m.email} {self && <Badge>You</Badge>}
                    </td>
                    <td>
                      {isOwner ? (
                        <Form method="post" className="flex items-center gap-2">
                          <input type="hidden" name="userId" value={m.userId} />
                          <label htmlFor={`role-${m.userId}`} className="sr-only">
                            Role of {m.email}
                          </label>
                          {/* Re-mounted after a refusal, so the select shows the role the member still has. */}
                          <select
                            key={`${m.role}-${failed.userId === m.userId ? "refused" : ""}`}
                            id={`role-${m.userId}`}
                            name="role"
                            defaultValue={m.role}
                            className="input w-auto py-1"
                          >
                            <option value="owner">Owner</option>
                            <option value="admin">Admin</option>
                            <option value="member">Member</option>
                          </select>
                          <SubmitButton
                            intent="change-role"
                            match={{ userId: m.userId }}
                            variant="secondary"
                            pending="Saving…"
                            className="px-3 py-1 whitespace-nowrap"
                          >
                            Save<span className="sr-only"> role of {m.email}</span>
                          </SubmitButton>
                        </Form>
                      ) : (
                        <Badge tone={roleTone[m.role]}>
                          <span className="capitalize">{m.role}</span>
                        </Badge>
                      )}
                    </td>
                    <td className="whitespace-nowrap">{formatDateTime(String(m.joinedAt))}</td>
                    <td className="text-right">
                      {self ? (
                        <Confirm label="Leave…">
                          <p>Leave {tenantName}? You lose access at once, until an owner invites you again.</p>
                          <Form method="post">
                            <input type="hidden" name="userId" value={m.userId} />
                            <SubmitButton intent="remove" match={{ userId: m.userId }} variant="danger" pending="Leaving…">
                              Leave the team
                            </SubmitButton>
                          </Form>
                        </Confirm>
                      ) : (
                        isOwner && (
                          <Confirm
                            label={
                              <>
                                Remove…<span className="sr-only"> {m.email}</span>
                              </>
                            }
                          >
                            <p>Remove {m.email}? They lose access at once; you can invite them again later.</p>
                            <Form method="post">
                              <input type="hidden" name="userId" value={m.userId} />
                              <input type="hidden" name="email" value={m.email} />
                              <SubmitButton intent="remove" match={{ userId: m.userId }} variant="danger" pending="Removing…">
                                Remove<span className="sr-only"> {m.email}</span>
                              </SubmitButton>
                            </Form>
                          </Confirm>
                        )
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      </Section>

      <Section
        title="Pending invitations"
        description="Invitations sent but not yet accepted. Sending one again to the same address replaces it with a fresh link."
      >
        <FormError message={failed.intent === "revoke" || (failed.intent === "invite" && failed.resend) ? problem?.message : undefined} />
        {invitations.length === 0 ? (
          <EmptyState>{isOwner ? "No invitations waiting. Invite a colleague above to work on BizBot together." : "No invitations waiting."}</EmptyState>
        ) : (
          <TableScroll label="Table of pending invitations">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Invited by</th>
                  <th scope="col">Sent</th>
                  <th scope="col">Expires</th>
                  {isOwner && (
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {invitations.map((inv) => (
                  <tr key={inv.id}>
                    <td>{inv.email}</td>
                    <td className="capitalize">{inv.role}</td>
                    <td>{inv.invitedBy ?? <span className="muted">—</span>}</td>
                    <td className="whitespace-nowrap">{formatDateTime(String(inv.createdAt))}</td>
                    <td className="whitespace-nowrap">{inv.expired ? <Badge tone="red">Expired</Badge> : formatDateTime(String(inv.expiresAt))}</td>
                    {isOwner && (
                      <td>
                        <div className="flex justify-end gap-2">
                          <Form method="post">
                            <input type="hidden" name="email" value={inv.email} />
                            <input type="hidden" name="role" value={inv.role} />
                            <input type="hidden" name="resend" value="1" />
                            <SubmitButton
                              intent="invite"
                              match={{ email: inv.email }}
                              variant="secondary"
                              pending="Sending…"
                              className="px-3 py-1 whitespace-nowrap"
                            >
                              Send again<span className="sr-only"> to {inv.email}</span>
                            </SubmitButton>
                          </Form>
                          <Form method="post">
                            <input type="hidden" name="id" value={inv.id} />
                            <SubmitButton
                              intent="revoke"
                              match={{ id: inv.id }}
                              variant="secondary"
                              pending="Withdrawing…"
                              className="px-3 py-1 whitespace-nowrap"
                            >
                              Withdraw<span className="sr-only"> the invitation for {inv.email}</span>
                            </SubmitButton>
                          </Form>
                        </div>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </Section>

      <Section title="Roles">
        <RoleGuide />
      </Section>
    </div>
  );
}
