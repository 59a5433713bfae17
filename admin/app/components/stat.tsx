import type { ReactNode } from "react";

/** One headline figure in a `<dl>`: what it is, the number, and a line that puts it in context. */
export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="card p-4">
      <dt className="muted text-sm font-medium">{label}</dt>
      <dd className="mt-1 text-2xl font-bold tracking-tight tabular-nums">{value}</dd>
      {hint && <dd className="muted mt-1 text-xs">{hint}</dd>}
    </div>
  );
}
