import { data, Form, Link } from "react-router";
import { Field } from "../components/field.tsx";
import { type AddResult, AddKnowledge, type ImportReport } from "../components/knowledge-add.tsx";
import { DocumentsTable, SearchResults } from "../components/knowledge-documents.tsx";
import { Badge, EmptyState, formatNumber, PageHeader, Section } from "../components/page.tsx";
import { usePolling } from "../components/use-polling.ts";
import { refused, text } from "../lib/forms.server.ts";
import { ACCEPTED_EXTENSIONS, documentFromFile, MAX_DOCUMENT_BYTES, MAX_FILES, parseFaq } from "../lib/knowledge-input.server.ts";
import { attempt, type Problem } from "../lib/platform.server.ts";
import { redirectWithToast } from "../lib/session.server.ts";
import { canManage, viewerContext, viewerPlatform } from "../lib/viewer.server.ts";
import type { Route } from "./+types/knowledge";

export function meta() {
  return [{ title: "Knowledge · BizBot" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const { role } = context.get(viewerContext);
  const client = viewerPlatform(context, request);
  const query = new URL(request.url).searchParams.get("q")?.trim().slice(0, 2000) ?? "";
  const [documents, search] = await Promise.all([
    attempt(() => client.knowledge.list.query()),
    query ? attempt(() => client.knowledge.search.mutate({ query, limit: 10 })) : null,
  ]);
  if (!documents.ok) throw new Response(documents.problem.message, { status: documents.problem.status });
  return {
    documents: documents.value.documents,
    query,
    search: search ? (search.ok ? { ...search.value, error: null } : { results: [], mode: null, notice: undefined, error: search.problem.message }) : null,
    canManage: canManage(role),
    acceptedExtensions: ACCEPTED_EXTENSIONS,
    maxFiles: MAX_FILES,
  };
}

const invalid = (message: string, fields: Record<string, string[]> = {}): Problem => ({ status: 400, reason: "invalid_input", message, fields });
const plural = (n: number, one: string, many = `${one}s`) => `${formatNumber(n)} ${n === 1 ? one : many}`;

/** A toast for a batch that all went in; otherwise the report stays on the page, next to the form. */
function finish(intent: string, report: ImportReport) {
  if (report.failed.length > 0) return data({ intent, report }, { status: report.added.length + report.unchanged.length > 0 ? 200 : 400 });
  const parts = [report.added.length > 0 ? `Added ${plural(report.added.length, "document")}` : null];
  if (report.unchanged.length > 0) parts.push(`${plural(report.unchanged.length, "was", "were")} already in the knowledge base`);
  return redirectWithToast("/knowledge", { kind: "success", message: `${parts.filter(Boolean).join("; ")}.` });
}

export async function action({ request, context }: Route.ActionArgs) {
  // Refused before reading the body: one upload is at most MAX_FILES documents of the platform's largest size.
  if (Number(request.headers.get("content-length") ?? 0) > MAX_FILES * MAX_DOCUMENT_BYTES + 1024 * 1024) {
    return refused({ ...invalid(`One upload is at most ${MAX_FILES} files of 10 MB each: send fewer at a time.`), status: 413 }, { intent: "upload" });
  }
  const form = await request.formData();
  const intent = text(form, "intent");
  const client = viewerPlatform(context, request);

  switch (intent) {
    case "upload": {
      const files = form.getAll("files").filter((f): f is File => typeof f !== "string" && f.name !== "");
      if (files.length === 0) return refused(invalid("Choose one or more files to upload.", { files: ["choose a file"] }), { intent });
      if (files.length > MAX_FILES) return refused(invalid(`Upload at most ${MAX_FILES} files at a time.`, { files: ["too many files"] }), { intent });
      const report: ImportReport = { added: [], unchanged: [], failed: [] };
      // One at a time: each document is one request of up to 10 MB, and a failure stops none of the others.
      for (const file of files) {
        const document = await documentFromFile(file);
        if (!document.ok) {
          report.failed.push({ name: file.name, error: document.error });
          continue;
        }
        const { ok: _, ...input } = document;
        const created = await attempt(() => client.knowledge.create.mutate(input));
        if (!created.ok) report.failed.push({ name: file.name, error: `${file.name}: ${created.problem.message}` });
        else (created.value.duplicate ? report.unchanged : report.added).push(file.name);
      }
      return finish(intent, report);
    }
    case "text": {
      const values = { intent, title: text(form, "title"), format: text(form, "format"), content: String(form.get("content") ?? "") };
      const created = await attempt(() =>
        client.knowledge.create.mutate({
          title: values.title,
          content: values.content,
          format: values.format as "text" | "markdown" | "html" | "faq-json" | "faq-csv",
        }),
      );
      if (!created.ok) return refused(created.problem, values);
      return redirectWithToast("/knowledge", {
        kind: "success",
        message: created.value.duplicate ? `“${created.value.title}” is already in the knowledge base.` : `Added “${created.value.title}”.`,
      });
    }
    case "faq": {
      const values = { intent, faqTitle: text(form, "faqTitle"), faq: String(form.get("faq") ?? "") };
      const parsed = parseFaq(values.faq);
      if (!parsed.ok) return refused(invalid(parsed.error, { content: [parsed.error] }), values);
      const created = await attempt(() =>
        client.knowledge.create.mutate({ title: values.faqTitle, content: JSON.stringify(parsed.entries), format: "faq-json" }),
      );
      if (!created.ok) return refused(created.problem, values);
      return redirectWithToast("/knowledge", {
        kind: "success",
        message: created.value.duplicate
          ? "That FAQ is already in the knowledge base."
          : `Added “${created.value.title}” with ${plural(parsed.entries.length, "question")}.`,
      });
    }
    case "url": {
      const values = { intent, url: text(form, "url"), sitemap: form.get("sitemap") ? "on" : "" };
      const imported = await attempt(() => client.knowledge.importUrl.mutate({ url: values.url, sitemap: values.sitemap === "on" }));
      if (!imported.ok) return refused(imported.problem, values);
      const { documents, failed } = imported.value;
      return finish(intent, {
        added: documents.filter((d) => !d.duplicate).map((d) => d.title),
        unchanged: documents.filter((d) => d.duplicate).map((d) => d.title),
        failed: failed.map((f) => ({ name: f.url, error: f.error })),
      });
    }
    case "reimport": {
      const imported = await attempt(() => client.knowledge.importUrl.mutate({ url: text(form, "url"), sitemap: false }));
      if (!imported.ok) return redirectWithToast("/knowledge", { kind: "error", message: imported.problem.message });
      const [document] = imported.value.documents;
      return redirectWithToast("/knowledge", {
        kind: "success",
        message: document?.duplicate
          ? `“${document.title}” has not changed since it was imported.`
          : `Imported “${document?.title}” again; it is being indexed.`,
      });
    }
    case "replace": {
      const file = form.get("file");
      if (!(file instanceof File) || file.name === "")
        return redirectWithToast("/knowledge", { kind: "error", message: "Choose a file to replace the document with." });
      const document = await documentFromFile(file);
      if (!document.ok) return redirectWithToast("/knowledge", { kind: "error", message: document.error });
      const updated = await attempt(() =>
        client.knowledge.update.mutate({ id: text(form, "id"), title: text(form, "title"), content: document.content, format: document.format }),
      );
      if (!updated.ok) return redirectWithToast("/knowledge", { kind: "error", message: updated.problem.message });
      return redirectWithToast("/knowledge", { kind: "success", message: `Replaced “${updated.value.title}”; it is indexed again.` });
    }
    case "delete": {
      const removed = await attempt(() => client.knowledge.remove.mutate({ id: text(form, "id") }));
      if (!removed.ok) return redirectWithToast("/knowledge", { kind: "error", message: removed.problem.message });
      return redirectWithToast("/knowledge", { kind: "success", message: `Deleted “${text(form, "title")}”. The bot no longer answers from it.` });
    }
    default:
      return refused(invalid("Unknown action."), { intent });
  }
}

export default function Knowledge({ loaderData, actionData }: Route.ComponentProps) {
  const { documents, query, search, acceptedExtensions, maxFiles } = loaderData;
  const indexing = documents.filter((d) => d.status === "processing").length;
  usePolling(indexing > 0, 2000);

  const result: AddResult | null = !actionData
    ? null
    : "report" in actionData
      ? { intent: actionData.intent, report: actionData.report }
      : { intent: actionData.values.intent ?? "", message: actionData.problem.message, fields: actionData.problem.fields, values: actionData.values };

  return (
    <div className="space-y-6">
      <PageHeader
        title="Knowledge"
        description="What your support bot and agents answer from. Add your help pages, policies and FAQs, then try a question to see what they would find."
        actions={
          loaderData.canManage && (
            <a href="#add-knowledge" className="btn-primary">
              Add knowledge
            </a>
          )
        }
      />

      <Section
        title="Documents"
        description={
          documents.length > 0
            ? `${plural(documents.length, "document")}, ${plural(
                documents.reduce((n, d) => n + d.chunkCount, 0),
                "passage",
              )} the bot can quote.`
            : undefined
        }
      >
        {indexing > 0 && (
          <p role="status" className="flex flex-wrap items-center gap-2 text-sm">
            <Badge tone="amber">Indexing</Badge> {plural(indexing, "document is", "documents are")} being indexed; this page updates by itself.
            <Link to={query ? `?q=${encodeURIComponent(query)}` : "."} className="link">
              Refresh
            </Link>
          </p>
        )}
        {documents.length === 0 ? (
          <EmptyState>
            The knowledge base is empty, so the bot can only say it does not know.{" "}
            {loaderData.canManage ? "Upload your help articles or import your help centre below to get started." : "Ask an admin to add your help articles."}
          </EmptyState>
        ) : (
          <DocumentsTable documents={documents} canManage={loaderData.canManage} accept={acceptedExtensions.join(",")} />
        )}
      </Section>

      <Section title="Try a question" description="Ask what a customer would; these are the passages the bot would answer from, best first.">
        <Form method="get" action="/knowledge" className="flex flex-col gap-2 sm:flex-row sm:items-end">
          <div className="flex-1">
            <Field label="Question" name="q" type="search" defaultValue={query} placeholder="How long does shipping take?" required />
          </div>
          <button type="submit" className="btn-secondary">
            Search
          </button>
        </Form>
        {search && <SearchResults search={search} />}
      </Section>

      {loaderData.canManage && (
        <section id="add-knowledge" aria-labelledby="add-knowledge-heading" className="card space-y-4">
          <div>
            <h2 id="add-knowledge-heading" className="text-lg font-semibold">
              Add knowledge
            </h2>
            <p className="muted mt-1 text-sm">Small documents are searchable at once; large ones and PDFs are indexed in the background.</p>
          </div>
          <AddKnowledge result={result} acceptedExtensions={acceptedExtensions} maxFiles={maxFiles} />
        </section>
      )}
    </div>
  );
}
