/** A validation issue as zod (and tRPC, passing zod's on) reports it. */
export interface Issue {
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
  message: string;
}

/** Field errors keyed by dotted path ("allowedOrigins.0"), under `prefix` when given; errors about the whole value sit under "" (or the prefix). */
export function fieldErrors(issues: readonly Issue[], prefix?: string): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of issues) {
    const parts = (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p));
    const path = (prefix ? [prefix, ...parts] : parts).join(".");
    (fields[path] ??= []).push(issue.message);
  }
  return fields;
}

/** The first few field errors in one line: "input.ticket: is empty; input.subject: …". */
export function summarizeFields(fields: Record<string, string[]>): string {
  return Object.entries(fields)
    .slice(0, 3)
    .map(([path, messages]) => `${path || "input"}: ${messages[0]}`)
    .join("; ");
}
