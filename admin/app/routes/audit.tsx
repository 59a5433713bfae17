import { Form, Link } from "react-router";
import { Field } from "../components/field.tsx";
import { EmptyState, PageHeader } from "../components/page.tsx";
import { TableScroll } from "../components/table-scroll.tsx";
import { actionLabel, actorName, type AuditEntry, metadataSummary, type Named, targetHref, targetName } from "../lib/audit-labels.ts";
import { attempt } from "../lib/platform.server.ts";
import { viewerPlatform } from "../lib/viewer.server.ts";
import type { Route } from "./+types/audit";

export function meta() {
  return [{ title: "Audit log · BizBot" }];
}

const PAGE_SIZE = 50;

export async function loader({ context, request }: Route.LoaderArgs) {
  const params = new URL(request.url).searchParams;
  const filters = { action: params.get("action") || undefined, actorId: params.get("actor") || undefined };
  const cursor = params.get("cursor") || undefined;
  const client = viewerPlatform(context, request);
  const [page, actions, team] = await Promise.all([
    attempt(() => client.audit.list.query({ ...filters, cursor, limit: PAGE_SIZE })),
    attempt(() => client.audit.actions.query()),
    attempt(() => client.team.list.query()),
  ]);
  for (const result of [actions, team]) if (!result.ok) throw new Response(result.problem.message, { status: result.problem.status });
  // A hand-edited or stale link (a cursor the platform no longer accepts) is a message on the page, not an error page.
  if (!page.ok && page.problem.status !== 400) throw new Response(page.problem.message, { status: page.problem.status });
  return {
    filters: { action: filters.action ?? "", actor: filters.actorId ?? "" },
    paged: Boolean(cursor),
    entries: page.ok ? (page.value.entries satisfies AuditEntry[]) : [],
    nextCursor: page.ok ? page.value.nextCursor : null,
    invalidLink: !page.ok,
    actions: actions.ok ? actions.value.actions : [],
    people: team.ok ? team.value.members.map((m) => ({ id: m.userId, email: m.email })) : [],
  };
}

/** The page's address with these filters (the empty ones left out) and, for the next page, a cursor. */
function auditHref(filters: { action: string; actor: string }, cursor?: string) {
  const params = new URLSearchParams();
  if (filters.action) params.set("action", filters.action);
  if (filters.actor) params.set("actor", filters.actor);
  if (cursor) params.set("cursor", cursor);
  const query = params.toString();
  return query ? `/audit?${query}` : "/audit";
}

export default function AuditLog({ loaderData }: Route.ComponentProps) {
  const { filters, paged, entries, nextCursor, invalidLink, actions, people } = loaderData;
  const filtered = Boolean(filters.action || filters.actor);
  // Filters from a link may name an action no longer in the log, or someone who has left: keep them selectable.
  const actionOptions = [...new Set([...actions, ...(filters.action ? [filters.action] : [])])].sort((a, b) => actionLabel(a).localeCompare(actionLabel(b)));
  const personOptions =
    filters.actor && !people.some((p) => p.id === filters.actor)
      ? [...people, { id: filters.actor, email: entries.find((e) => e.actorId === filters.actor)?.actorEmail ?? filters.actor }]
      : people;

  return (
    <div className="max-w-6xl space-y-6">
      <PageHeader
        title="Audit log"
        description="Who changed what in this workspace, newest first: API keys, the team, the knowledge base, conversations and settings."
      />

      <Form method="get" className="card grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
        <Field label="Action" name="action">
          {(props) => (
            <select {...props} className="input" defaultValue={filters.action}>
              <option value="">All actions</option>
              {actionOptions.map((a) => (
                <option key={a} value={a}>
                  {actionLabel(a)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Person" name="actor">
          {(props) => (
            <select {...props} className="input" defaultValue={filters.actor}>
              <option value="">Everyone</option>
              {personOptions.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.email}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="flex gap-2">
          <button type="submit" className="btn-primary">
            Filter
          </button>
          {filtered && (
            <Link to="/audit" className="btn-secondary">
              Clear
            </Link>
          )}
        </div>
      </Form>

      {invalidLink ? (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          This link does not point to a page of the audit log; it may have been cut short.{" "}
          <Link to="/audit" className="font-semibold underline">
            Start from the newest entries
          </Link>
        </p>
      ) : entries.length === 0 ? (
        <EmptyState>
          {filtered ? (
            <>
              No entries match these filters.{" "}
              <Link to="/audit" className="link">
                Show every entry
              </Link>
            </>
          ) : paged ? (
            <>
              There are no older entries.{" "}
              <Link to="/audit" className="link">
                Back to the newest
              </Link>
            </>
          ) : (
            "Nothing has been recorded yet. Changes to API keys, the team, the knowledge base and settings appear here, with who made them, when and from where."
          )}
        </EmptyState>
      ) : (
        <TableScroll label="Table of audit entries" className="card p-0">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
                <th scope="col" className="whitespace-nowrap">
                  IP address
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <AuditRow key={entry.id} entry={entry} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}

      {(nextCursor || paged) && !invalidLink && (
        <nav aria-label="Audit log pages" className="flex flex-wrap justify-between gap-2">
          {paged ? (
            <Link to={auditHref(filters)} className="btn-secondary">
              Newest entries
            </Link>
          ) : (
            <span />
          )}
          {nextCursor && (
            <Link to={auditHref(filters, nextCursor)} className="btn-secondary">
              Older entries
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}

/** Ids are long and unbroken: they wrap anywhere, so the table stays as narrow as its words allow. */
function Name({ name }: { name: Named }) {
  return (
    <>
      {name.label}
      {name.id && <code className="block text-xs break-all">{name.id}</code>}
    </>
  );
}

// To the second, in UTC (the column says so): several changes often land in one minute.
const entryTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

function AuditRow({ entry }: { entry: AuditEntry }) {
  const target = targetName(entry);
  const href = targetHref(entry);
  const summary = metadataSummary(entry);
  const none = <span className="muted">—</span>;
  return (
    <tr>
      <td className="whitespace-nowrap">
        <time dateTime={entry.createdAt}>{entryTime.format(new Date(entry.createdAt))}</time>
      </td>
      <td>
        <Name name={actorName(entry)} />
      </td>
      <td>{actionLabel(entry.action)}</td>
      <td>
        {target && href ? (
          <Link to={href} className="link">
            <Name name={target} />
          </Link>
        ) : target ? (
          <Name name={target} />
        ) : (
          none
        )}
      </td>
      <td className="min-w-48">
        {summary ? (
          <details>
            <summary className="cursor-pointer">{summary}</summary>
            <pre className="mt-2 w-64 rounded bg-gray-100 p-2 text-xs break-all whitespace-pre-wrap dark:bg-gray-800">
              {JSON.stringify(entry.metadata, null, 2)}
            </pre>
          </details>
        ) : (
          none
        )}
      </td>
      <td className="whitespace-nowrap">{entry.ip ? <code className="text-xs">{entry.ip}</code> : none}</td>
    </tr>
  );
}
