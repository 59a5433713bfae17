import { Link } from "react-router";
import { AgentPrices, CreditPackages } from "../components/pricing.tsx";
import { publicCatalogue } from "../lib/catalogue.server.ts";
import { attempt, PLATFORM_PUBLIC_URL, platform } from "../lib/platform.server.ts";
import type { Route } from "./+types/home";

export function meta() {
  return [
    { title: "BizBot · An AI support bot and ten business agents for your website" },
    { name: "description", content: "Answer customers from your own help centre and run ten business agents, with one script tag and prepaid credits." },
  ];
}

export async function loader({ request }: Route.LoaderArgs) {
  // The platform's own widget, so a visitor can try the Ticket Resolver here. The page works without it.
  const house = await attempt(() => platform({ request }).house.widget.query());
  return {
    ...publicCatalogue(),
    widget: house.ok && house.value.publishableKey ? { src: `${PLATFORM_PUBLIC_URL}/widget.js`, key: house.value.publishableKey } : null,
  };
}

const features = [
  {
    title: "Answers from your own help centre",
    text: "Upload pages, FAQs or a sitemap. The bot answers with numbered sources and hands over to a person when asked.",
  },
  {
    title: "Ten agents, one price list",
    text: "Resolve tickets, scan code for leaked secrets, turn CSV into JSON, draft reports. Each run has a fixed price in credits.",
  },
  { title: "One script tag", text: "A 3 KB loader that never breaks your page: isolated styles, keyboard and screen-reader friendly, five languages." },
  { title: "Pay for what you use", text: "Prepaid credits at $0.04 each. A run that fails is never charged, and your balance can never be spent twice." },
];

export default function Home({ loaderData }: Route.ComponentProps) {
  const { agents, packages, widget } = loaderData;
  return (
    <>
      <section className="bg-gradient-to-b from-indigo-50 to-transparent dark:from-indigo-950/40">
        <div className="mx-auto max-w-6xl px-4 py-16 sm:py-24">
          <h1 className="max-w-3xl text-4xl font-bold tracking-tight sm:text-5xl">Customer support and business agents on your website, with one script tag</h1>
          <p className="muted mt-6 max-w-2xl text-lg">
            BizBot answers your customers from your own help centre and runs ten AI agents for your team, from ticket replies to security scans. Pay with
            prepaid credits; try the Ticket Resolver free, right here.
          </p>
          <div className="mt-8 flex flex-wrap gap-3">
            <Link to="/signup" className="btn-primary px-6 py-3 text-base">
              Start free
            </Link>
            <Link to="/pricing" className="btn-secondary px-6 py-3 text-base">
              See pricing
            </Link>
          </div>
          {widget && <p className="muted mt-6 text-sm">Open the chat in the corner to ask a question or run the Ticket Resolver three times free.</p>}
        </div>
      </section>

      <section aria-labelledby="features" className="mx-auto max-w-6xl px-4 py-12">
        <h2 id="features" className="text-2xl font-bold">
          What BizBot does
        </h2>
        <ul className="mt-6 grid gap-4 sm:grid-cols-2">
          {features.map((f) => (
            <li key={f.title} className="card">
              <h3 className="font-semibold">{f.title}</h3>
              <p className="muted mt-2 text-sm">{f.text}</p>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="agents" className="mx-auto max-w-6xl px-4 py-12">
        <h2 id="agents" className="text-2xl font-bold">
          The ten agents
        </h2>
        <p className="muted mt-2">A run is charged only when it succeeds. The support chat costs one credit a reply.</p>
        <div className="mt-6">
          <AgentPrices agents={agents} />
        </div>
      </section>

      <section aria-labelledby="packages" className="mx-auto max-w-6xl px-4 py-12">
        <h2 id="packages" className="text-2xl font-bold">
          Credit packages
        </h2>
        <div className="mt-6">
          <CreditPackages packages={packages} />
        </div>
      </section>
      {widget && <script src={widget.src} data-key={widget.key} async />}
    </>
  );
}
