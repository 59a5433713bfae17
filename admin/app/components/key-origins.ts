// The allowed origins of a publishable key as typed in the portal's textarea, and the platform's errors about them.

/** The origins typed in the textarea: one a line (or comma-separated), a trailing slash dropped, case folded. */
export function originLines(typed: string): string[] {
  return typed
    .split(/[\n,]+/)
    .map((origin) => origin.trim().replace(/\/+$/, "").toLowerCase())
    .filter(Boolean);
}

/** The platform's errors on `allowedOrigins.<n>`, each naming the origin it is about. */
export function originErrors(fields: Record<string, string[]>, typed: string | undefined): string[] | undefined {
  const lines = originLines(typed ?? "");
  const errors = Object.entries(fields)
    .filter(([path]) => path === "allowedOrigins" || path.startsWith("allowedOrigins."))
    .flatMap(([path, messages]) => {
      const origin = lines[Number(path.split(".")[1])];
      return messages.map((message) => (origin ? `“${origin}” ${message}` : message));
    });
  return errors.length ? errors : undefined;
}
