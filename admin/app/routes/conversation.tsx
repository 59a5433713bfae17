import { Form, Link } from "react-router";
import { Confirm } from "../components/confirm.tsx";
import { Markdown } from "../components/markdown.tsx";
import { Badge, formatDateTime, formatNumber, PageHeader, Section } from "../components/page.tsx";
import { passageLabel, SourceList } from "../components/structured-value.tsx";
import { SubmitButton } from "../components/submit-button.tsx";
import { attempt } from "../lib/platform.server.ts";
import { redirectWithToast } from "../lib/session.server.ts";
import { canManage, viewerContext, viewerPlatform } from "../lib/viewer.server.ts";
import type { Route } from "./+types/conversation";

export function meta() {
  return [{ title: "Conversation · BizBot" }];
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const { role } = context.get(viewerContext);
  const client = viewerPlatform(context, request);
  const [found, settings] = await Promise.all([attempt(() => client.conversations.get.query({ id: params.id })), attempt(() => client.settings.get.query())]);
  if (!found.ok) {
    const missing = found.problem.status === 404 || found.problem.status === 400;
    throw new Response(missing ? "This conversation does not exist, or it was deleted." : found.problem.message, {
      status: missing ? 404 : found.problem.status,
    });
  }
  return { ...found.value, botName: settings.ok ? settings.value.chat.botName : "Assistant", canManage: canManage(role) };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const removed = await attempt(() => viewerPlatform(context, request).conversations.remove.mutate({ id: params.id }));
  if (!removed.ok) return redirectWithToast(`/conversations/${params.id}`, { kind: "error", message: removed.problem.message });
  return redirectWithToast("/conversations", { kind: "success", message: "The conversation and its messages were deleted." });
}

type Message = Route.ComponentProps["loaderData"]["messages"][number];

function SuggestedActions({ actions }: { actions: Message["actions"] }) {
  if (actions.length === 0) return null;
  const describe = (a: Message["actions"][number]) => {
    if (a.type === "link" && a.url) return { text: a.label, href: a.url };
    if (a.type === "email" && a.email) return { text: `${a.label} (${a.email})`, href: `mailto:${a.email}` };
    if (a.type === "agent") return { text: `${a.label} (agent: ${a.agentId ?? "?"})` };
    return { text: a.label };
  };
  return (
    <div className="text-sm">
      <p className="muted text-xs font-medium">Offered next</p>
      <ul className="mt-1 flex flex-wrap gap-2">
        {actions.map((a, i) => {
          const { text, href } = describe(a);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: the answer's own order.
            <li key={i} className="rounded-full border border-gray-300 px-2 py-0.5 text-xs dark:border-gray-700">
              {href && /^(https?:|mailto:)/.test(href) ? (
                <a className="link" href={href} target="_blank" rel="noopener noreferrer nofollow">
                  {text}
                </a>
              ) : (
                text
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function MessageItem({ message, botName }: { message: Message; botName: string }) {
  const visitor = message.role === "visitor";
  const cite = (n: number) => {
    const c = message.citations.find((x) => x.n === n);
    return c ? (
      <a href={`#${message.id}-source-${n}`} className="link" title={passageLabel(c.title, c.headingPath)}>
        [{n}]
      </a>
    ) : undefined;
  };
  return (
    <li
      className={`rounded-lg border p-4 ${visitor ? "border-gray-200 bg-gray-50 dark:border-gray-800 dark:bg-gray-950" : "border-indigo-200 dark:border-indigo-900"}`}
    >
      <div className="mb-2 flex flex-wrap items-center gap-2 text-sm">
        <p className="font-semibold">{visitor ? "Visitor" : botName}</p>
        <p className="muted text-xs">
          <time dateTime={message.createdAt}>{formatDateTime(message.createdAt)}</time>
        </p>
        {message.mode === "fallback" && <Badge tone="amber">Quoted from the knowledge base</Badge>}
        {message.creditsCharged > 0 && <Badge>{message.creditsCharged === 1 ? "1 credit" : `${formatNumber(message.creditsCharged)} credits`}</Badge>}
      </div>
      {visitor ? <p className="text-sm whitespace-pre-wrap break-words">{message.content}</p> : <Markdown text={message.content} cite={cite} />}
      {message.notice && <p className="muted mt-2 text-xs">{message.notice}</p>}
      {message.citations.length > 0 && (
        <div className="mt-3 border-t border-gray-200 pt-2 dark:border-gray-800">
          <p className="muted text-xs font-medium">Sources</p>
          <SourceList sources={message.citations} idPrefix={`${message.id}-source-`} />
        </div>
      )}
      {message.actions.length > 0 && (
        <div className="mt-3">
          <SuggestedActions actions={message.actions} />
        </div>
      )}
    </li>
  );
}

export default function Conversation({ loaderData }: Route.ComponentProps) {
  const { conversation, messages, botName } = loaderData;
  const base = `/conversations/${conversation.id}`;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to="/conversations" className="link">
          ← All conversations
        </Link>
      </p>
      <PageHeader
        title="Conversation"
        description={`Started ${formatDateTime(conversation.createdAt)}, ${messages.length === 1 ? "1 message" : `${formatNumber(messages.length)} messages`}.`}
        actions={
          <>
            <a href={`${base}/export?format=csv`} className="btn-secondary" download>
              Export CSV
            </a>
            <a href={`${base}/export?format=json`} className="btn-secondary" download>
              Export JSON
            </a>
          </>
        }
      />

      <Section title="Details">
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium">Status</dt>
          <dd>
            {conversation.status === "escalated" ? (
              <span className="flex flex-wrap items-center gap-2">
                <Badge tone="amber">Escalated</Badge>
                {conversation.escalatedAt && <span>The visitor asked for a person on {formatDateTime(conversation.escalatedAt)}.</span>}
              </span>
            ) : (
              <Badge>Open</Badge>
            )}
          </dd>
          <dt className="font-medium">Visitor</dt>
          <dd className="font-mono text-xs break-all">{conversation.visitorId}</dd>
          {conversation.userId && (
            <>
              <dt className="font-medium">Signed-in user</dt>
              <dd className="font-mono text-xs break-all">{conversation.userId}</dd>
            </>
          )}
          <dt className="font-medium">Last activity</dt>
          <dd>{formatDateTime(conversation.updatedAt)}</dd>
          <dt className="font-medium">Credits charged</dt>
          <dd>{formatNumber(conversation.creditsCharged)}</dd>
          <dt className="font-medium">Conversation id</dt>
          <dd className="font-mono text-xs break-all">{conversation.id}</dd>
        </dl>
        {loaderData.canManage && (
          <Confirm label="Delete conversation…">
            <p>Delete this conversation and all its messages? Do this when a visitor asks to be forgotten; it cannot be undone.</p>
            <Form method="post" action={base}>
              <SubmitButton variant="danger" pending="Deleting…">
                Delete for good
              </SubmitButton>
            </Form>
          </Confirm>
        )}
      </Section>

      <Section title="Transcript">
        {messages.length === 0 ? (
          <p className="muted text-sm">No messages in this conversation.</p>
        ) : (
          <ol className="space-y-3">
            {messages.map((m) => (
              <MessageItem key={m.id} message={m} botName={botName} />
            ))}
          </ol>
        )}
      </Section>
    </div>
  );
}
