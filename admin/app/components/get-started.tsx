import { Link } from "react-router";
import { Badge } from "./page.tsx";

export interface GettingStarted {
  /** Whether the knowledge base holds a document; null when it could not be read. */
  knowledge: boolean | null;
  /** Whether anyone besides the first person is on the team or invited; null when it could not be read. */
  team: boolean | null;
}

/** What a new workspace does first, in order; steps the platform can see are done are marked so. */
export function GetStarted({ done, canManage }: { done: GettingStarted; canManage: boolean }) {
  const steps = [
    {
      to: "/knowledge",
      title: "Add your knowledge",
      text: "Upload help articles or import pages from your site: the support bot answers from them, with sources.",
      done: done.knowledge,
    },
    {
      to: "/widget",
      title: "Put the widget on your site",
      text: "Style it, allow your site's address, and paste one script tag into your pages.",
      done: null,
    },
    {
      to: "/agents",
      title: "Choose your agents",
      text: "All ten agents are ready for your servers; pick which ones visitors may try free in the widget.",
      done: null,
    },
    { to: "/team", title: "Invite your team", text: "Add the people who answer your customers or look after billing.", done: done.team },
  ];
  return (
    <section aria-labelledby="get-started" className="card space-y-4">
      <div>
        <h2 id="get-started" className="text-lg font-semibold">
          Get started
        </h2>
        <p className="muted mt-1 text-sm">
          Your charts fill in once visitors chat and agents run. Four steps get you there.
          {!canManage && " An owner or admin of this workspace makes these changes; you can look at each page."}
        </p>
      </div>
      <ol className="divide-y divide-gray-200 dark:divide-gray-800">
        {steps.map((step, i) => (
          <li key={step.to} className="flex gap-4 py-3">
            <span
              aria-hidden="true"
              className="grid size-7 shrink-0 place-items-center rounded-full bg-indigo-100 text-sm font-semibold text-indigo-900 dark:bg-indigo-900 dark:text-indigo-100"
            >
              {i + 1}
            </span>
            <div className="min-w-0 flex-1">
              <p className="flex flex-wrap items-center gap-2 font-medium">
                <Link to={step.to} className="link">
                  {step.title}
                </Link>
                {step.done && <Badge tone="green">Done</Badge>}
              </p>
              <p className="muted mt-0.5 text-sm">{step.text}</p>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
