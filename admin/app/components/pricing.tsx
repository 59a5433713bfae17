import type { ReactNode } from "react";
import { Link } from "react-router";
import type { PublicCatalogue } from "../lib/catalogue.server.ts";
import { formatNumber } from "./page.tsx";

const usd = (n: number) => `$${n.toFixed(2).replace(/\.00$/, "")}`;
const packageName = (id: string) => id[0]!.toUpperCase() + id.slice(1);

export function AgentPrices({ agents }: { agents: PublicCatalogue["agents"] }) {
  return (
    <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {agents.map((agent) => (
        <li key={agent.id} className="card flex flex-col gap-2">
          <div className="flex items-baseline justify-between gap-2">
            <h3 className="font-semibold">{agent.name}</h3>
            <p className="whitespace-nowrap text-sm font-semibold text-indigo-700 dark:text-indigo-300">
              {agent.credits} credits <span className="muted font-normal">({usd(agent.usd)})</span>
            </p>
          </div>
          <p className="muted text-sm">{agent.description}</p>
        </li>
      ))}
    </ul>
  );
}

type CreditPackage = PublicCatalogue["packages"][number];

const signUp = () => (
  <Link to="/signup" className="btn-secondary mt-auto">
    Get started
  </Link>
);

/** `action` is each package's call to action: signing up by default, none when null (billing, until payment is online). */
export function CreditPackages({ packages, action = signUp }: { packages: CreditPackage[]; action?: ((p: CreditPackage) => ReactNode) | null }) {
  return (
    <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {packages.map((p) => (
        <li key={p.id} className="card flex flex-col gap-3">
          <h3 className="font-semibold">{packageName(p.id)}</h3>
          <p>
            <span className="text-3xl font-bold">{usd(p.usd)}</span>
          </p>
          <p className="text-sm">
            <strong>{formatNumber(p.credits)} credits</strong>
            {p.bonusPercent > 0 && (
              <span className="ml-2 rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-medium text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100">
                +{p.bonusPercent}% bonus
              </span>
            )}
          </p>
          <p className="muted text-xs">One-time, or the same every month as a plan.</p>
          {action?.(p)}
        </li>
      ))}
    </ul>
  );
}
