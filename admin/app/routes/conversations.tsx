import { Form, Link } from "react-router";
import { Field, FormError } from "../components/field.tsx";
import { Badge, EmptyState, formatDateTime, formatNumber, PageHeader, Section } from "../components/page.tsx";
import { type ConversationFilters, filteredPage, isFiltered, readFilters } from "../lib/conversation-filters.server.ts";
import { attempt } from "../lib/platform.server.ts";
import { viewerPlatform } from "../lib/viewer.server.ts";
import type { Route } from "./+types/conversations";

export function meta() {
  return [{ title: "Conversations · BizBot" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const client = viewerPlatform(context, request);
  const url = new URL(request.url);
  const filters = readFilters(url);
  const cursor = url.searchParams.get("cursor") || undefined;
  const page = await attempt(() => filteredPage((input) => client.conversations.list.query(input), filters, cursor));
  return {
    filters,
    filtered: isFiltered(filters),
    cursor: cursor ?? null,
    page: page.ok ? page.value : null,
    error: page.ok ? null : page.problem.status === 400 ? "This page link is out of date. Start again from the first page." : page.problem.message,
  };
}

/** The list's address with these filters, and a cursor when it is a later page. */
function listHref(filters: ConversationFilters, cursor?: string) {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (cursor) params.set("cursor", cursor);
  const query = params.toString();
  return query ? `/conversations?${query}` : "/conversations";
}

export default function Conversations({ loaderData }: Route.ComponentProps) {
  const { filters, filtered, cursor, page, error } = loaderData;
  const conversations = page?.conversations ?? [];
  return (
    <div className="space-y-6">
      <PageHeader title="Conversations" description="What visitors asked your support bot and what it answered. Open one to read it, export it or delete it." />

      <Form method="get" action="/conversations" className="card flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end">
        <Field label="Status" name="status">
          {(props) => (
            <select {...props} defaultValue={filters.status} className="input">
              <option value="">All</option>
              <option value="open">Open</option>
              <option value="escalated">Escalated to a person</option>
            </select>
          )}
        </Field>
        <Field label="Active from" name="from" type="date" defaultValue={filters.from} />
        <Field label="Active until" name="to" type="date" defaultValue={filters.to} />
        <div className="flex gap-2">
          <button type="submit" className="btn-secondary">
            Filter
          </button>
          {filtered && (
            <Link to="/conversations" className="btn-secondary">
              Clear
            </Link>
          )}
        </div>
      </Form>

      <Section
        title={filtered ? "Matching conversations" : "All conversations"}
        description={filtered ? "Dates are in UTC and match a conversation's last message." : "Most recently active first."}
      >
        {error ? (
          <div className="space-y-2">
            <FormError message={error} />
            <Link to={listHref(filters)} className="link text-sm">
              First page
            </Link>
          </div>
        ) : conversations.length === 0 ? (
          <EmptyState>
            {filtered
              ? page?.nextCursor
                ? `None of the ${formatNumber(page.scanned)} conversations looked at so far match. Continue to older ones, or change the filters.`
                : "No conversation matches these filters."
              : cursor
                ? "No more conversations."
                : "No conversations yet. Once the widget is on your website, every chat with the support bot shows here."}
          </EmptyState>
        ) : (
          <div className="relative overflow-x-auto">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Last activity</th>
                  <th scope="col">Status</th>
                  <th scope="col">Messages</th>
                  <th scope="col">Credits</th>
                  <th scope="col">Visitor</th>
                  <th scope="col">Started</th>
                </tr>
              </thead>
              <tbody>
                {conversations.map((c) => (
                  <tr key={c.id}>
                    <td className="whitespace-nowrap">
                      <Link to={`/conversations/${c.id}`} className="link">
                        {formatDateTime(c.updatedAt)}
                      </Link>
                    </td>
                    <td>{c.status === "escalated" ? <Badge tone="amber">Escalated</Badge> : <Badge>Open</Badge>}</td>
                    <td className="tabular-nums">{formatNumber(c.messageCount)}</td>
                    <td className="tabular-nums">{formatNumber(c.creditsCharged)}</td>
                    <td className="max-w-48 truncate font-mono text-xs" title={c.userId ?? c.visitorId}>
                      {c.userId ?? c.visitorId}
                    </td>
                    <td className="whitespace-nowrap">{formatDateTime(c.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {(cursor || page?.nextCursor) && (
          <nav aria-label="Conversation pages" className="flex gap-4 text-sm">
            {cursor && (
              <Link to={listHref(filters)} className="link">
                First page
              </Link>
            )}
            {page?.nextCursor && (
              <Link to={listHref(filters, page.nextCursor)} className="link">
                {filtered && conversations.length === 0 ? "Continue searching" : "Older conversations"}
              </Link>
            )}
          </nav>
        )}
      </Section>
    </div>
  );
}
