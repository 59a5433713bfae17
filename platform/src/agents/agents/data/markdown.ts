/** What report-generator reads back from the markdown the model wrote. */

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;

/**
 * The text of the "Executive summary" section (any heading level, up to the next heading as high or higher); when
 * the report has no such section, its first paragraph that is not a heading. Empty for an empty report.
 */
export function executiveSummary(markdown: string): string {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((line) => /^executive summary:?$/i.test(HEADING.exec(line.trim())?.[2] ?? ""));
  if (start >= 0) {
    const level = HEADING.exec(lines[start]!.trim())![1]!.length;
    const body: string[] = [];
    for (const line of lines.slice(start + 1)) {
      const heading = HEADING.exec(line.trim());
      if (heading && heading[1]!.length <= level) break;
      body.push(line);
    }
    const text = body.join("\n").trim();
    if (text) return text;
  }
  const paragraphs = markdown.split(/\r?\n\s*\r?\n/).map((p) =>
    p
      .split(/\r?\n/)
      .filter((line) => !HEADING.test(line.trim()))
      .join("\n")
      .trim(),
  );
  return paragraphs.find((p) => p !== "") ?? "";
}

/** The text of the report's first level-1 heading, if it has one. */
export function firstTitle(markdown: string): string | null {
  for (const line of markdown.split(/\r?\n/)) {
    const heading = HEADING.exec(line.trim());
    if (heading?.[1] === "#" && heading[2]) return heading[2];
  }
  return null;
}
