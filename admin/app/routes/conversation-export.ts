import { toCsv } from "../lib/csv.ts";
import { attempt } from "../lib/platform.server.ts";
import { viewerPlatform } from "../lib/viewer.server.ts";
import type { Route } from "./+types/conversation-export";

const CSV_HEADER = [
  "conversation_id",
  "message_id",
  "created_at",
  "role",
  "content",
  "answer_mode",
  "notice",
  "citations",
  "suggested_actions",
  "credits_charged",
  "model",
  "input_tokens",
  "output_tokens",
  "cache_write_tokens",
  "cache_read_tokens",
  "cost_usd",
];

/** A conversation as a download: everything the platform stores about it (conversations.export), as JSON or CSV. */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const format = new URL(request.url).searchParams.get("format") ?? "json";
  if (format !== "json" && format !== "csv") return new Response("Choose format=json or format=csv.", { status: 400 });
  const exported = await attempt(() => viewerPlatform(context, request).conversations.export.query({ id: params.id }));
  if (!exported.ok) {
    const missing = exported.problem.status === 404 || exported.problem.status === 400;
    return new Response(missing ? "This conversation does not exist, or it was deleted." : exported.problem.message, {
      status: missing ? 404 : exported.problem.status,
    });
  }
  const { conversation, messages } = exported.value;
  const headers = new Headers({
    "content-disposition": `attachment; filename="conversation-${conversation.id}.${format}"`,
    // A visitor's words: kept out of shared caches and the browser's cache alike.
    "cache-control": "private, no-store",
    "x-content-type-options": "nosniff",
  });
  if (format === "json") {
    headers.set("content-type", "application/json; charset=utf-8");
    return new Response(`${JSON.stringify(exported.value, null, 2)}\n`, { headers });
  }
  headers.set("content-type", "text/csv; charset=utf-8");
  const rows = messages.map((m) => [
    conversation.id,
    m.id,
    m.createdAt,
    m.role,
    m.content,
    m.mode,
    m.notice,
    m.citations.map((c) => [`[${c.n}] ${[c.title, ...c.headingPath].join(" › ")}`, c.url].filter(Boolean).join(" ")).join("; "),
    m.actions.map((a) => [a.label, a.url ?? a.email ?? a.agentId].filter(Boolean).join(": ")).join("; "),
    m.creditsCharged,
    m.model,
    m.tokens.input,
    m.tokens.output,
    m.tokens.cacheWrite,
    m.tokens.cacheRead,
    m.costUsd,
  ]);
  return new Response(toCsv(CSV_HEADER, rows), { headers });
}
