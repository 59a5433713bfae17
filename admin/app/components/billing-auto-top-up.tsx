import { Form } from "react-router";
import { Field, FormError } from "./field.tsx";
import { formatDateTime, formatNumber, formatUsd } from "./format.ts";
import { Section } from "./page.tsx";
import { problemSummary, type Refusal } from "./problem-summary.ts";
import { SubmitButton } from "./submit-button.tsx";

export interface AutoTopUpSetting {
  enabled: boolean;
  threshold: number;
  product: string;
  attemptedAt: string | null;
  error: string | null;
  failedAt: string | null;
}

interface PackageOption {
  id: string;
  title: string;
  usd: number;
  credits: number;
}

const describePackage = (p: PackageOption) => `${p.title}: ${formatNumber(p.credits)} credits for ${formatUsd(p.usd)}`;

/**
 * Buying a package by itself when the credits run low. Owners and admins change it; it needs the card Stripe kept
 * from an earlier purchase, so until there is one the form stays disabled and says why. The last failure (a declined
 * card) is the first thing shown: it is why credits may be running out.
 */
export function AutoTopUp({
  setting,
  packages,
  manage,
  cardReady,
  failure,
}: {
  setting: AutoTopUpSetting;
  packages: PackageOption[];
  manage: boolean;
  /** A card Stripe keeps for the workspace, or a purchase that saved one. */
  cardReady: boolean;
  failure: Refusal | null;
}) {
  const values = failure?.values ?? {};
  const fields = failure?.problem.fields ?? {};
  const chosen = packages.find((p) => p.id === setting.product);
  return (
    <Section
      title="Auto top-up"
      id="auto-top-up"
      description="Buys a credit package with your saved card when your available credits run low, so agents and the support bot keep working. At most once a day."
    >
      {setting.error && (
        <div className="rounded-md border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          <p className="font-semibold">The last auto top-up failed{setting.failedAt ? ` on ${formatDateTime(setting.failedAt)}` : ""}.</p>
          <p className="mt-1">{setting.error}</p>
          <p className="mt-1">
            {manage
              ? "Check the card in Manage billing. The next try is a day after this one; buy a package above if credits are needed sooner."
              : "An owner or admin can check the card."}
          </p>
        </div>
      )}
      <p className="text-sm">
        {setting.enabled
          ? `On: when available credits fall under ${formatNumber(setting.threshold)}, the ${chosen?.title ?? setting.product} package${chosen ? ` (${formatNumber(chosen.credits)} credits for ${formatUsd(chosen.usd)})` : ""} is bought.`
          : "Off: credits are only added when someone buys them."}{" "}
        <span className="muted">{setting.attemptedAt ? `Last attempt: ${formatDateTime(setting.attemptedAt)}.` : "Never tried yet."}</span>
      </p>
      {manage && (
        <Form method="post" action="/billing" className="max-w-2xl space-y-4" noValidate>
          <FormError message={problemSummary(failure?.problem, ["threshold", "product"])} />
          {!cardReady && (
            <p
              id="auto-top-up-card"
              className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
            >
              Auto top-up needs a saved card: buy a credit package once, and Stripe keeps the card for it.
            </p>
          )}
          <fieldset disabled={!cardReady} aria-describedby={cardReady ? undefined : "auto-top-up-card"} className="space-y-4">
            <legend className="sr-only">Auto top-up settings</legend>
            <div className="flex items-start gap-2">
              <input
                id="auto-top-up-enabled"
                type="checkbox"
                name="enabled"
                defaultChecked={failure ? values.enabled === "on" : setting.enabled}
                className="mt-1 size-4"
              />
              <label htmlFor="auto-top-up-enabled" className="text-sm font-medium">
                Buy credits automatically when they run low
              </label>
            </div>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field
                label="When available credits fall under"
                name="threshold"
                type="number"
                min={1}
                max={1_000_000}
                defaultValue={failure ? values.threshold : setting.threshold}
                errors={fields.threshold}
              />
              <Field label="Package to buy" name="product" errors={fields.product}>
                {(props) => (
                  <select {...props} className="input" defaultValue={failure ? values.product : setting.product}>
                    {packages.map((p) => (
                      <option key={p.id} value={p.id}>
                        {describePackage(p)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
            <SubmitButton intent="auto-top-up" pending="Saving…">
              Save auto top-up
            </SubmitButton>
          </fieldset>
        </Form>
      )}
    </Section>
  );
}
