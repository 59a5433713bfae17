import { useId } from "react";
import { Form } from "react-router";
import { Field, FormError } from "./field.tsx";
import { SubmitButton } from "./submit-button.tsx";

export interface AgentSettings {
  enabled: boolean;
  visibility: "widget" | "api";
  instructions: string;
  cachedRunCredits: number | null;
  afterTrial: "paywall" | "charge";
  trialRuns: number;
}

interface Props {
  action: string;
  agentId: string;
  settings: AgentSettings;
  problem?: { message: string; fields: Record<string, string[]> } | undefined;
  /** What was sent, when the platform refused it. */
  values?: Record<string, string> | undefined;
  readOnly: boolean;
}

/** The orchestrator's steps are runs of other agents at the tenant's cost: the platform never offers it to visitors. */
const WIDGET_FORBIDDEN = "workflow-orchestrator";

function Choice({
  name,
  value,
  checked,
  disabled,
  label,
  hint,
}: {
  name: string;
  value: string;
  checked: boolean;
  disabled?: boolean;
  label: string;
  hint: string;
}) {
  const id = useId();
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        type="radio"
        name={name}
        value={value}
        defaultChecked={checked}
        disabled={disabled}
        className="mt-1 size-4"
        aria-describedby={`${id}-hint`}
      />
      <div>
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        <p id={`${id}-hint`} className="muted text-xs">
          {hint}
        </p>
      </div>
    </div>
  );
}

function Errors({ errors }: { errors: string[] | undefined }) {
  return errors?.length ? <p className="text-sm text-red-700 dark:text-red-400">{errors.join("; ")}</p> : null;
}

export function AgentSettingsForm({ action, agentId, settings, problem, values, readOnly }: Props) {
  const fields = problem?.fields ?? {};
  const enabledId = useId();
  const visibility = values?.visibility ?? settings.visibility;
  const afterTrial = values?.afterTrial ?? settings.afterTrial;
  const widgetForbidden = agentId === WIDGET_FORBIDDEN;
  return (
    <Form method="post" action={action} className="space-y-5">
      <FormError message={problem?.message} />
      <fieldset disabled={readOnly} className="space-y-5">
        <div className="flex items-start gap-2">
          <input
            id={enabledId}
            type="checkbox"
            name="enabled"
            defaultChecked={values ? values.enabled === "on" : settings.enabled}
            className="mt-1 size-4"
            aria-describedby={`${enabledId}-hint`}
          />
          <div>
            <label htmlFor={enabledId} className="text-sm font-medium">
              Enabled
            </label>
            <p id={`${enabledId}-hint`} className="muted text-xs">
              A disabled agent refuses every run, from the widget, your servers and this portal.
            </p>
            <Errors errors={fields.enabled} />
          </div>
        </div>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Offered in</legend>
          <Choice
            name="visibility"
            value="widget"
            checked={visibility === "widget"}
            disabled={widgetForbidden}
            label="The widget, your servers and the portal"
            hint={
              widgetForbidden
                ? "Not for this agent: its steps run other agents at your cost, so it is never offered to anonymous visitors."
                : "Visitors to your website can run it from the chat widget."
            }
          />
          <Choice
            name="visibility"
            value="api"
            checked={visibility !== "widget"}
            label="Your servers and the portal only"
            hint="Runs through the API with a secret key, or from this page."
          />
          <Errors errors={fields.visibility} />
        </fieldset>

        <Field
          label="Instructions"
          name="instructions"
          multiline
          rows={4}
          defaultValue={values?.instructions ?? settings.instructions}
          errors={fields.instructions}
          hint="Added to the agent's own: your tone, your product's terms, what to emphasise. Up to 1,000 characters."
        />

        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Free runs per visitor"
            name="trialRuns"
            type="number"
            min={0}
            max={100}
            defaultValue={values?.trialRuns ?? settings.trialRuns}
            errors={fields.trialRuns}
            hint="How many times an anonymous visitor may run it in the widget before paying; 0 for none."
          />
          <Field
            label="Price of a cached answer, in credits"
            name="cachedRunCredits"
            type="number"
            min={0}
            max={1000}
            defaultValue={values?.cachedRunCredits ?? settings.cachedRunCredits ?? ""}
            errors={fields.cachedRunCredits}
            hint="When the same input was answered before, the stored answer is returned at once. Blank: half the price, rounded up."
          />
        </div>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">After a visitor's free runs</legend>
          <Choice
            name="afterTrial"
            value="paywall"
            checked={afterTrial !== "charge"}
            label="Stop, and show the paywall"
            hint="The widget says the free runs are used up and shows your call to action (set on the Widget page)."
          />
          <Choice
            name="afterTrial"
            value="charge"
            checked={afterTrial === "charge"}
            label="Keep running, charged to your credits"
            hint="Visitors never see a limit; each run costs you its price."
          />
          <Errors errors={fields.afterTrial} />
        </fieldset>
      </fieldset>
      {readOnly ? (
        <p className="muted text-sm">Owners and admins can change these settings.</p>
      ) : (
        <SubmitButton intent="settings" pending="Saving…">
          Save settings
        </SubmitButton>
      )}
    </Form>
  );
}
