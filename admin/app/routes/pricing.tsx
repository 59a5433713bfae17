import { AgentPrices, CreditPackages } from "../components/pricing.tsx";
import { publicCatalogue } from "../lib/catalogue.server.ts";
import type { Route } from "./+types/pricing";

export function meta() {
  return [{ title: "Pricing · BizBot" }, { name: "description", content: "Prepaid credits at $0.04 each, with bonus credits on larger packages." }];
}

export function loader() {
  return publicCatalogue();
}

export default function Pricing({ loaderData }: Route.ComponentProps) {
  return (
    <div className="mx-auto max-w-6xl space-y-12 px-4 py-12">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">Pricing</h1>
        <p className="muted mt-2 max-w-2xl">
          One credit is ${loaderData.creditPriceUsd.toFixed(2)}. Buy a package once, or the same amount every month as a plan. A run that fails costs nothing,
          and a new account starts with a free trial of the Ticket Resolver.
        </p>
      </div>
      <section aria-labelledby="packages">
        <h2 id="packages" className="mb-4 text-xl font-bold">
          Credit packages
        </h2>
        <CreditPackages packages={loaderData.packages} />
      </section>
      <section aria-labelledby="agents">
        <h2 id="agents" className="mb-4 text-xl font-bold">
          Price per agent run
        </h2>
        <AgentPrices agents={loaderData.agents} />
      </section>
    </div>
  );
}
