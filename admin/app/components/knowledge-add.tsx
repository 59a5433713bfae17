// The knowledge page's four ways in: files, pasted text, an FAQ, a web page or sitemap. Plain form posts, each
// with its own intent; the page's action (routes/knowledge.tsx) reads them.
import type { ReactNode } from "react";
import { Form } from "react-router";
import { Field, FormError } from "./field.tsx";
import { SubmitButton } from "./submit-button.tsx";

/** What the action answered for one of these forms: its refusal, or the per-item report of a batch. */
export interface AddResult {
  intent: string;
  message?: string | undefined;
  fields?: Record<string, string[]> | undefined;
  values?: Record<string, string> | undefined;
  report?: ImportReport | undefined;
}

export interface ImportReport {
  added: string[];
  unchanged: string[];
  failed: Array<{ name: string; error: string }>;
}

export const pastedFormats = [
  { value: "markdown", label: "Markdown" },
  { value: "text", label: "Plain text" },
  { value: "html", label: "HTML" },
  { value: "faq-json", label: "FAQ as JSON: [{question, answer}]" },
  { value: "faq-csv", label: "FAQ as CSV: question,answer" },
] as const;

function Report({ report }: { report: ImportReport }) {
  return (
    <div role="status" className="space-y-2 rounded-md border border-gray-200 p-3 text-sm dark:border-gray-800">
      {report.added.length > 0 && (
        <p>
          <strong>Added:</strong> {report.added.join(", ")}
        </p>
      )}
      {report.unchanged.length > 0 && (
        <p>
          <strong>Already in the knowledge base, unchanged:</strong> {report.unchanged.join(", ")}
        </p>
      )}
      {report.failed.length > 0 && (
        <div className="text-red-800 dark:text-red-300">
          <p className="font-semibold">Not added:</p>
          <ul className="list-disc pl-5">
            {report.failed.map((f) => (
              <li key={f.name}>{f.error}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function Card({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <div className="space-y-3 rounded-lg border border-gray-200 p-4 dark:border-gray-800">
      <div>
        <h3 className="font-semibold">{title}</h3>
        <p className="muted text-sm">{description}</p>
      </div>
      {children}
    </div>
  );
}

const FAQ_EXAMPLE = `Q: How long does shipping take?
A: Orders leave our warehouse within 2 working days.

Q: Can I return an item?
A: Yes, within 30 days of delivery.`;

export function AddKnowledge({ result, acceptedExtensions, maxFiles }: { result: AddResult | null; acceptedExtensions: string[]; maxFiles: number }) {
  const mine = (intent: string) => (result?.intent === intent ? result : null);
  const upload = mine("upload");
  const text = mine("text");
  const faq = mine("faq");
  const url = mine("url");
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card title="Upload files" description={`Markdown, text, HTML and PDF files, or an FAQ as JSON or CSV; up to ${maxFiles} files of 10 MB each.`}>
        <Form method="post" action="/knowledge" encType="multipart/form-data" className="space-y-3">
          <FormError message={upload?.message} />
          <Field
            label="Files"
            name="files"
            required
            errors={upload?.fields?.files}
            hint={`Accepted: ${acceptedExtensions.join(" ")}. Each file becomes a document titled by its name.`}
          >
            {(props) => <input {...props} type="file" multiple required accept={acceptedExtensions.join(",")} className="input" />}
          </Field>
          {upload?.report && <Report report={upload.report} />}
          <SubmitButton intent="upload" pending="Uploading…">
            Upload
          </SubmitButton>
        </Form>
      </Card>

      <Card title="Import a web page or sitemap" description="BizBot fetches the page now; import it again later to pick up changes.">
        <Form method="post" action="/knowledge" className="space-y-3">
          <FormError message={url?.message} />
          <Field
            label="Address"
            name="url"
            type="url"
            required
            placeholder="https://example.com/help/returns"
            defaultValue={url?.values?.url}
            errors={url?.fields?.url}
          />
          <div className="flex items-start gap-2">
            <input id="import-sitemap" type="checkbox" name="sitemap" defaultChecked={url?.values?.sitemap === "on"} className="mt-1 size-4" />
            <label htmlFor="import-sitemap" className="text-sm">
              This is a sitemap: import the pages it lists (the first 50)
            </label>
          </div>
          {url?.report && <Report report={url.report} />}
          <SubmitButton intent="url" pending="Importing…">
            Import
          </SubmitButton>
        </Form>
      </Card>

      <Card title="Paste text" description="A help article, a policy, release notes: anything your customers ask about.">
        <Form method="post" action="/knowledge" className="space-y-3">
          <FormError message={text?.message} />
          <Field label="Title" name="title" required defaultValue={text?.values?.title} errors={text?.fields?.title} />
          <Field label="Format" name="format" errors={text?.fields?.format}>
            {(props) => (
              <select {...props} defaultValue={text?.values?.format ?? "markdown"} className="input">
                {pastedFormats.map((f) => (
                  <option key={f.value} value={f.value}>
                    {f.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Content" name="content" required multiline rows={8} defaultValue={text?.values?.content} errors={text?.fields?.content} />
          <SubmitButton intent="text" pending="Adding…">
            Add document
          </SubmitButton>
        </Form>
      </Card>

      <Card title="Write an FAQ" description="Questions and answers, each found on its own: the bot quotes the answer that fits.">
        <Form method="post" action="/knowledge" className="space-y-3">
          <FormError message={faq?.message} />
          <Field label="Title" name="faqTitle" required defaultValue={faq?.values?.faqTitle ?? "Frequently asked questions"} errors={faq?.fields?.title} />
          <Field
            label="Questions and answers"
            name="faq"
            required
            multiline
            rows={8}
            placeholder={FAQ_EXAMPLE}
            defaultValue={faq?.values?.faq}
            errors={faq?.fields?.content}
            hint="Start each question with “Q:” and its answer with “A:”; an answer may run over several lines."
          />
          <SubmitButton intent="faq" pending="Adding…">
            Add FAQ
          </SubmitButton>
        </Form>
      </Card>
    </div>
  );
}
