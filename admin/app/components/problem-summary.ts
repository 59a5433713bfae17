/** What an action answers when the platform refused a form (lib/forms.server.ts `refused`), as the page receives it. */
export interface Refusal {
  problem: { message: string; fields: Record<string, string[]> };
  values: Record<string, string>;
}

/**
 * The sentence to show above a refused form. The platform's message for invalid input lists field paths
 * ("allowedOrigins.1: …"); when the form shows every one of those errors beside its field, a plain sentence reads
 * better. Errors on fields the form does not show keep the platform's message, so nothing is lost.
 */
export function problemSummary(problem: Refusal["problem"] | undefined, shownFields: string[]): string | undefined {
  if (!problem) return undefined;
  const paths = Object.keys(problem.fields);
  const allShown = paths.length > 0 && paths.every((path) => shownFields.some((shown) => path === shown || path.startsWith(`${shown}.`)));
  return allShown ? "Please correct the highlighted fields." : problem.message;
}
