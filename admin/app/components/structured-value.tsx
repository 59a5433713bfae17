// An agent's output shown readably, whatever its shape (each agent has its own): prose as markdown, data as code,
// lists of records as tables, other lists as lists, objects as a definition list of their short values and a
// titled section for each long one. A `citations` list beside text becomes a numbered list of sources.
import type { ReactNode } from "react";
import { humanize } from "../lib/schema-form.ts";
import { Markdown } from "./markdown.tsx";
import { formatNumber } from "./page.tsx";

type Scalar = string | number | boolean | null;
type Dict = Record<string, unknown>;

export interface Source {
  n: number;
  title: string;
  headingPath: string[];
  url?: string | null | undefined;
}

const isScalar = (v: unknown): v is Scalar => v === null || ["string", "number", "boolean"].includes(typeof v);
const isRecord = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);
export const isSource = (v: unknown): v is Source => isRecord(v) && typeof v.n === "number" && typeof v.title === "string" && Array.isArray(v.headingPath);
/** Text worth its own section, read as markdown: long, several lines, or with markup or `[n]` markers. */
const isProse = (v: unknown): v is string => typeof v === "string" && (v.length >= 80 || /[\n*_`#[|]/.test(v));
/** A record a table row can show: scalars, lists of scalars, or lists of small records (shown inline). */
const isFlat = (v: unknown) =>
  isRecord(v) &&
  Object.values(v).every((x) => isScalar(x) || (Array.isArray(x) && x.every((y) => isScalar(y) || (isRecord(y) && Object.values(y).every(isScalar)))));
/** Strings under these keys are data (a converted file, a snippet), shown as written rather than as markdown. */
const CODE_KEYS = new Set(["output", "data", "code", "snippet", "patch", "diff"]);

function scalar(v: Scalar): string {
  if (v === null) return "—";
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (typeof v === "number") return Number.isInteger(v) ? formatNumber(v) : new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 }).format(v);
  // Enum values such as "no_evidence" read as words; other text is shown as written.
  return /^[a-z]+(?:_[a-z]+)+$/.test(v) ? humanize(v) : v || "—";
}

/** A value a table cell can hold in a line: lists joined, small records as "key: value". */
function inline(v: unknown): string {
  if (Array.isArray(v)) return v.length ? v.map(inline).join("; ") : "—";
  if (isRecord(v))
    return Object.entries(v)
      .map(([k, x]) => `${humanize(k)}: ${inline(x)}`)
      .join(", ");
  return scalar(v as Scalar);
}

/** "Title › Section › Subsection", without the document's own heading repeating its title. */
export const passageLabel = (title: string, headingPath: string[]) =>
  [title, ...headingPath.filter((h, i) => i > 0 || h.trim().toLowerCase() !== title.trim().toLowerCase())].join(" › ");

/** `idPrefix`: each source gets the id `<idPrefix><n>`, for the text's `[n]` to link to. */
export function SourceList({ sources, idPrefix }: { sources: Source[]; idPrefix?: string }) {
  return (
    <ol className="space-y-1 text-sm">
      {sources.map((c) => {
        const label = passageLabel(c.title, c.headingPath);
        return (
          <li key={c.n} id={idPrefix ? `${idPrefix}${c.n}` : undefined}>
            <span className="muted tabular-nums">[{c.n}]</span>{" "}
            {c.url ? (
              <a className="link" href={c.url} target="_blank" rel="noopener noreferrer nofollow">
                {label}
              </a>
            ) : (
              label
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** `level`: the heading element for this value's sections; `name`: the key it is under, if any. */
export function StructuredValue({ value, level = 3, name, sources = [] }: { value: unknown; level?: number; name?: string; sources?: Source[] }): ReactNode {
  if (typeof value === "string") {
    if (name && CODE_KEYS.has(name) && value.includes("\n")) {
      return (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must be reachable by keyboard to be scrolled.
        <pre tabIndex={0} className="max-h-96 overflow-auto rounded-md bg-gray-100 p-3 text-xs dark:bg-gray-800">
          <code>{value}</code>
        </pre>
      );
    }
    if (!isProse(value)) return <p className="text-sm">{scalar(value)}</p>;
    const cite = (n: number) => {
      const c = sources.find((x) => x.n === n);
      return c ? <abbr title={passageLabel(c.title, c.headingPath)}>[{n}]</abbr> : undefined;
    };
    return <Markdown text={value} headingLevel={level} cite={cite} />;
  }
  if (isScalar(value)) return <p className="text-sm">{scalar(value)}</p>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <p className="muted text-sm">None</p>;
    if (value.every(isSource)) return <SourceList sources={value} />;
    if (value.every(isScalar)) {
      return (
        <ul className="list-disc space-y-1 pl-5 text-sm">
          {value.map((item, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the output's order is its only identity.
            <li key={i}>{isProse(item) ? <Markdown text={item} headingLevel={level} /> : scalar(item)}</li>
          ))}
        </ul>
      );
    }
    if (value.every(isFlat)) return <RecordTable rows={value as Dict[]} />;
    return (
      <ol className="space-y-3">
        {value.map((item, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the output's order is its only identity.
          <li key={i} className="rounded-md border border-gray-200 p-3 dark:border-gray-800">
            <StructuredValue value={item} level={level} sources={sources} />
          </li>
        ))}
      </ol>
    );
  }
  if (isRecord(value)) {
    const own = Array.isArray(value.citations) && value.citations.every(isSource) ? (value.citations as Source[]) : sources;
    const entries = Object.entries(value);
    const simple = entries.filter(([k, x]) => isScalar(x) && !isProse(x) && !CODE_KEYS.has(k));
    const sections = entries.filter(([k]) => !simple.some(([key]) => key === k));
    const Heading = `h${Math.min(level, 6)}` as "h3";
    return (
      <div className="space-y-4">
        {simple.length > 0 && (
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
            {simple.map(([k, x]) => (
              <div key={k} className="contents">
                <dt className="font-medium text-gray-700 dark:text-gray-300">{humanize(k)}</dt>
                <dd className="break-words">{scalar(x as Scalar)}</dd>
              </div>
            ))}
          </dl>
        )}
        {sections.map(([k, x]) => (
          <section key={k} className="space-y-2">
            <Heading className="font-semibold">{k === "citations" ? "Sources" : humanize(k)}</Heading>
            <StructuredValue value={x} level={level + 1} name={k} sources={own} />
          </section>
        ))}
      </div>
    );
  }
  return null;
}

function RecordTable({ rows }: { rows: Dict[] }) {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must be reachable by keyboard to be scrolled.
    <div tabIndex={0} className="relative overflow-x-auto">
      <table className="data-table">
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {humanize(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the output's order is its only identity.
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>{row[c] === undefined ? "" : inline(row[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
