import { Form } from "react-router";
import { ChoiceGroup } from "./choice-group.tsx";
import { Field, FormError } from "./field.tsx";
import { originErrors } from "./key-origins.ts";
import { Section } from "./page.tsx";
import { problemSummary, type Refusal } from "./problem-summary.ts";
import { SubmitButton } from "./submit-button.tsx";

/** The form that makes a key (its answer, the key shown once, is the page's). */
export function CreateKey({ failure }: { failure: Refusal | null }) {
  const values = failure?.values ?? {};
  const fields = failure?.problem.fields ?? {};
  return (
    <Section id="create-key" title="Create a key" description="You will see the full key once, right after creating it.">
      <Form method="post" className="group/create max-w-2xl space-y-4">
        <FormError message={problemSummary(failure?.problem, ["name", "kind", "mode", "allowedOrigins", "expiresInDays"])} />
        <Field label="Name" name="name" defaultValue={values.name} placeholder="Shop website" hint="So you can tell your keys apart." errors={fields.name} />
        <ChoiceGroup
          legend="Kind"
          name="kind"
          defaultValue={values.kind ?? "publishable"}
          errors={fields.kind}
          choices={[
            { value: "publishable", label: "Publishable", hint: "For the widget in web pages" },
            { value: "secret", label: "Secret", hint: "For your servers only" },
          ]}
        />
        <ChoiceGroup
          legend="Mode"
          name="mode"
          defaultValue={values.mode ?? "live"}
          errors={fields.mode}
          choices={[
            { value: "live", label: "Live", hint: "Real visitors, real credits" },
            { value: "test", label: "Test", hint: "Development and staging" },
          ]}
        />
        {/* Hidden by CSS alone while "Secret" is chosen; the action ignores it then. */}
        <div className="group-has-[input[value=secret]:checked]/create:hidden">
          <Field
            label="Allowed origins"
            name="allowedOrigins"
            multiline
            rows={3}
            defaultValue={values.allowedOrigins}
            placeholder={"https://shop.example.com\nhttps://*.example.com"}
            errors={originErrors(fields, values.allowedOrigins)}
            hint="Publishable keys only. One a line: the websites the widget may run on. You can change them later."
          />
        </div>
        <Field
          label="Expires after (days)"
          name="expiresInDays"
          type="number"
          min={1}
          max={3650}
          defaultValue={values.expiresInDays}
          hint="Leave empty for a key that never expires."
          errors={fields.expiresInDays}
        />
        <SubmitButton intent="create" pending="Creating…">
          Create key
        </SubmitButton>
      </Form>
    </Section>
  );
}
