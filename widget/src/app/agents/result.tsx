// An agent's output shown readably, whatever its shape: text as markdown, lists of records as tables, lists of
// anything else as lists, nested objects as titled sections. A `citations` list beside text becomes the `[n]` links
// of that text and a list of sources, not a table of ids.
import type { Citation } from "@bizbot/shared";
import type { ComponentChild } from "preact";
import { useContext } from "preact/hooks";
import { sourceLabel } from "../actions.ts";
import { markdown } from "../markdown.ts";
import { Lang } from "../session.ts";
import type { Strings } from "../strings.ts";
import { humanize } from "./schema-form.ts";

type Scalar = string | number | boolean | null;
const isScalar = (v: unknown): v is Scalar => v === null || ["string", "number", "boolean"].includes(typeof v);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isCitation = (v: unknown): v is Citation => isRecord(v) && typeof v.n === "number" && typeof v.title === "string" && Array.isArray(v.headingPath);
/** Text worth its own section, read as markdown: long, several lines, or with markup or `[n]` markers. */
const isProse = (v: unknown): v is string => typeof v === "string" && (v.length >= 80 || /[\n*_`#[|]/.test(v));
/** A record a table row can show: scalars, or lists of scalars. */
const isFlat = (v: unknown) => isRecord(v) && Object.values(v).every((x) => isScalar(x) || (Array.isArray(x) && x.every(isScalar)));

/** Where the output's main text is: what "Copy text" copies. */
export function mainText(output: unknown): string | undefined {
  if (typeof output === "string") return output;
  if (!isRecord(output)) return undefined;
  for (const key of ["reply", "report", "answer", "output", "markdown", "text", "content", "summary"]) {
    if (typeof output[key] === "string" && output[key]) return output[key] as string;
  }
  return undefined;
}

export function Result({ output }: { output: unknown }) {
  const s = useContext(Lang);
  return <div class="result">{show(output, 4, s, [])}</div>;
}

function scalar(v: Scalar, s: Strings): string {
  if (v === null) return "—";
  if (typeof v === "boolean") return v ? s.yes : s.no;
  return String(v);
}

/** `level`: the heading element for sections at this depth (the run's title is an h3). */
export function show(v: unknown, level: number, s: Strings, citations: Citation[]): ComponentChild {
  if (typeof v === "string") {
    // Short words (a category, a name) stay text; anything longer may be markdown.
    if (!isProse(v)) return v;
    const cite = (n: number) => {
      const c = citations.find((x) => x.n === n);
      return c ? <abbr title={sourceLabel(c)}>[{n}]</abbr> : undefined;
    };
    return <div class="md">{markdown(v, { cite, headingLevel: Math.min(level + 1, 6) })}</div>;
  }
  if (isScalar(v)) return scalar(v, s);
  if (Array.isArray(v)) {
    if (v.length === 0) return "—";
    if (v.every(isCitation)) {
      return (
        <ul class="sources">
          {v.map((c) => (
            <li key={c.n}>{sourceLabel(c)}</li>
          ))}
        </ul>
      );
    }
    if (v.every(isFlat)) return table(v as Array<Record<string, unknown>>, s);
    return (
      <ul>
        {v.map((item, i) => (
          <li key={i}>{show(item, level, s, citations)}</li>
        ))}
      </ul>
    );
  }
  if (isRecord(v)) {
    const own = Array.isArray(v.citations) && v.citations.every(isCitation) ? (v.citations as Citation[]) : citations;
    const entries = Object.entries(v);
    const simple = entries.filter(([, x]) => isScalar(x) && !isProse(x));
    const sections = entries.filter(([k]) => !simple.some(([key]) => key === k));
    const Heading = `h${Math.min(level, 6)}` as "h4";
    return (
      <>
        {simple.length > 0 && (
          <dl class="kv">
            {simple.map(([k, x]) => (
              <div key={k}>
                <dt>{humanize(k)}</dt>
                <dd>{scalar(x as Scalar, s)}</dd>
              </div>
            ))}
          </dl>
        )}
        {sections.map(([k, x]) => (
          <section key={k}>
            <Heading>{humanize(k)}</Heading>
            {show(x, level + 1, s, own)}
          </section>
        ))}
      </>
    );
  }
  return null;
}

function table(rows: Array<Record<string, unknown>>, s: Strings) {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  const cell = (v: unknown) => (Array.isArray(v) ? v.map((x) => scalar(x as Scalar, s)).join(", ") : v === undefined ? "" : scalar(v as Scalar, s));
  return (
    <div class="table">
      <table>
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
            <tr key={i}>
              {columns.map((c) => (
                <td key={c}>{cell(row[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
