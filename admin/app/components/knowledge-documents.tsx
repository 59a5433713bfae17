// The knowledge page's list of documents, with each one's actions, and the answer to "try a question".
import { Form } from "react-router";
import { Confirm } from "./confirm.tsx";
import { Field, FormError } from "./field.tsx";
import { Badge, EmptyState, formatDateTime, formatNumber } from "./page.tsx";
import { passageLabel } from "./structured-value.tsx";
import { SubmitButton } from "./submit-button.tsx";

const formatLabels: Record<string, string> = { text: "Text", markdown: "Markdown", html: "HTML", "faq-json": "FAQ", "faq-csv": "FAQ", pdf: "PDF" };

function size(bytes: number) {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** A document as knowledge.list returns it (dates as ISO strings). */
export interface KnowledgeDocument {
  id: string;
  title: string;
  format: string;
  sourceUrl: string | null;
  bytes: number;
  chunkCount: number;
  status: "processing" | "ready" | "failed";
  error: string | null;
  updatedAt: string;
}

function Status({ document }: { document: KnowledgeDocument }) {
  if (document.status === "ready") return <Badge tone="green">Ready</Badge>;
  if (document.status === "processing") return <Badge tone="amber">Indexing…</Badge>;
  return (
    <div className="space-y-1">
      <Badge tone="red">Failed</Badge>
      {document.error && <p className="text-xs text-red-800 dark:text-red-300">{document.error}</p>}
    </div>
  );
}

function DocumentActions({ document, accept }: { document: KnowledgeDocument; accept: string }) {
  return (
    <div className="flex flex-wrap items-start gap-2">
      {document.sourceUrl && (
        <Form method="post" action="/knowledge">
          <input type="hidden" name="url" value={document.sourceUrl} />
          <SubmitButton intent="reimport" match={{ url: document.sourceUrl }} variant="secondary" className="px-3 py-1" pending="Importing…">
            <span>
              Re-import<span className="sr-only"> {document.title}</span>
            </span>
          </SubmitButton>
        </Form>
      )}
      {/* Keyed by the revision, so that it closes once the document is replaced. */}
      <details key={document.updatedAt}>
        <summary className="btn-secondary cursor-pointer list-none px-3 py-1 [&::-webkit-details-marker]:hidden">
          Replace…<span className="sr-only"> {document.title}</span>
        </summary>
        <Form
          method="post"
          action="/knowledge"
          encType="multipart/form-data"
          className="mt-2 w-72 max-w-full space-y-2 rounded-md border border-gray-200 p-3 dark:border-gray-800"
        >
          <input type="hidden" name="id" value={document.id} />
          <input type="hidden" name="title" value={document.title} />
          <Field label="New file" name="file" hint="Its content replaces this document's, which is indexed again.">
            {(props) => <input {...props} type="file" required accept={accept} className="input" />}
          </Field>
          <SubmitButton intent="replace" match={{ id: document.id }} variant="secondary" pending="Replacing…">
            Replace
          </SubmitButton>
        </Form>
      </details>
      <Confirm
        label={
          <>
            Delete…<span className="sr-only"> {document.title}</span>
          </>
        }
      >
        <p>Delete “{document.title}”? The bot stops answering from it at once; this cannot be undone.</p>
        <Form method="post" action="/knowledge">
          <input type="hidden" name="id" value={document.id} />
          <input type="hidden" name="title" value={document.title} />
          <SubmitButton intent="delete" match={{ id: document.id }} variant="danger" pending="Deleting…">
            Delete for good
          </SubmitButton>
        </Form>
      </Confirm>
    </div>
  );
}

export function DocumentsTable({ documents, canManage, accept }: { documents: KnowledgeDocument[]; canManage: boolean; accept: string }) {
  return (
    // relative: the row buttons' screen-reader text is positioned absolutely, and must scroll with the table rather than widen the page.
    <div className="relative overflow-x-auto">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Document</th>
            <th scope="col">Status</th>
            <th scope="col">Size</th>
            <th scope="col">Passages</th>
            <th scope="col">Updated</th>
            {canManage && (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {documents.map((d) => (
            <tr key={d.id}>
              <td className="max-w-xs">
                <p className="font-medium break-words">{d.title}</p>
                <p className="muted text-xs">
                  {formatLabels[d.format] ?? d.format}
                  {d.sourceUrl && (
                    <>
                      {" · "}
                      <a href={d.sourceUrl} className="link break-all" target="_blank" rel="noopener noreferrer">
                        {d.sourceUrl}
                      </a>
                    </>
                  )}
                </p>
              </td>
              <td>
                <Status document={d} />
              </td>
              <td className="whitespace-nowrap tabular-nums">{size(d.bytes)}</td>
              <td className="tabular-nums">{d.status === "processing" && d.chunkCount === 0 ? "—" : formatNumber(d.chunkCount)}</td>
              <td className="whitespace-nowrap">{formatDateTime(d.updatedAt)}</td>
              {canManage && (
                <td>
                  <DocumentActions document={d} accept={accept} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface SearchAnswer {
  results: Array<{ chunkId: string; title: string; headingPath: string[]; text: string; score: number }>;
  mode: "lexical" | "hybrid" | null;
  notice?: string | undefined;
  error: string | null;
}

export function SearchResults({ search }: { search: SearchAnswer }) {
  if (search.error) return <FormError message={search.error} />;
  if (search.results.length === 0) {
    return <EmptyState>Nothing in the knowledge base matches this question. Add a document or an FAQ entry that answers it.</EmptyState>;
  }
  return (
    <div className="space-y-3">
      <p className="muted text-xs">
        {search.mode === "hybrid" ? "Keyword and semantic search combined." : "Keyword search."}
        {search.notice ? ` ${search.notice}` : ""}
      </p>
      <ol className="space-y-3">
        {search.results.map((r, i) => (
          <li key={r.chunkId} className="rounded-md border border-gray-200 p-3 dark:border-gray-800">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h3 className="font-medium">
                <span className="muted tabular-nums">{i + 1}.</span> {passageLabel(r.title, r.headingPath)}
              </h3>
              <p className="muted text-xs tabular-nums">score {r.score.toFixed(3)}</p>
            </div>
            <p className="mt-2 text-sm whitespace-pre-line">{r.text.length > 800 ? `${r.text.slice(0, 800)}…` : r.text}</p>
          </li>
        ))}
      </ol>
    </div>
  );
}
