import { useId } from "react";
import { formName, initialText, type SchemaField } from "../lib/schema-form.ts";
import { Field } from "./field.tsx";

interface Props {
  fields: SchemaField[];
  /** What was sent last time, when the platform refused it: by form field name. */
  values?: Record<string, string> | undefined;
  /** The platform's errors by path (`input.ticket`), which are the form fields' names. */
  errors?: Record<string, string[]> | undefined;
}

/** The controls of an agent's input form, drawn from its JSON Schema (lib/schema-form.ts). */
export function SchemaFields({ fields, values, errors }: Props) {
  return (
    <div className="space-y-4">
      {fields.map((f) => (
        <SchemaControl key={f.path} field={f} values={values} errors={errors} />
      ))}
    </div>
  );
}

function hintOf(f: SchemaField): string | undefined {
  const parts = [f.description];
  if (f.kind === "list") parts.push(`One per line${f.maxItems ? `, up to ${f.maxItems}` : ""}.`);
  if (f.kind === "json") parts.push("Written as JSON.");
  if ((f.kind === "text" || f.kind === "textarea") && f.format === "date-time") parts.push("For example 2026-05-01T09:30:00Z.");
  return parts.filter(Boolean).join(" ") || undefined;
}

function SchemaControl({ field: f, values, errors }: { field: SchemaField; values: Props["values"]; errors: Props["errors"] }) {
  const name = formName(f.path);
  const id = useId();
  const sent = values?.[name];
  if (f.kind === "group") {
    return (
      <fieldset className="space-y-3 rounded-md border border-gray-200 p-3 dark:border-gray-800">
        <legend className="px-1 text-sm font-medium">{f.label}</legend>
        {f.description && <p className="muted text-xs">{f.description}</p>}
        <SchemaFields fields={f.fields} values={values} errors={errors} />
      </fieldset>
    );
  }
  if (f.kind === "checkbox") {
    const checked = sent === undefined ? f.defaultValue : sent === "on";
    const fieldErrors = errors?.[name];
    return (
      <div className="flex items-start gap-2">
        <input
          id={id}
          type="checkbox"
          name={name}
          defaultChecked={checked}
          className="mt-1 size-4"
          aria-describedby={f.description ? `${id}-hint` : undefined}
        />
        <div>
          <label htmlFor={id} className="text-sm font-medium">
            {f.label}
          </label>
          {f.description && (
            <p id={`${id}-hint`} className="muted text-xs">
              {f.description}
            </p>
          )}
          {fieldErrors && <p className="text-sm text-red-700 dark:text-red-400">{fieldErrors.join("; ")}</p>}
        </div>
      </div>
    );
  }
  const value = sent ?? initialText(f);
  return (
    <Field label={f.label} name={name} required={f.required} errors={errors?.[name]} hint={hintOf(f)}>
      {(props) => {
        switch (f.kind) {
          case "select":
            return (
              <select {...props} defaultValue={value} required={f.required} className="input">
                {/* A required choice starts unmade, so that no one runs csv-to-csv by not looking. */}
                <option value="">{f.required ? "Choose…" : "Not set"}</option>
                {f.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            );
          case "number":
            return (
              <input
                {...props}
                type="number"
                inputMode={f.integer ? "numeric" : "decimal"}
                step={f.integer ? 1 : "any"}
                min={f.minimum}
                max={f.maximum}
                defaultValue={value}
                required={f.required}
                className="input"
              />
            );
          case "text":
          case "email":
            return (
              <input
                {...props}
                type={f.kind === "email" ? "email" : "text"}
                maxLength={f.maxLength}
                defaultValue={value}
                required={f.required}
                className="input"
              />
            );
          default: {
            // No maxLength: a browser cuts pasted text short without a word; the platform refuses it and says why.
            const long = f.kind === "textarea" && (f.maxLength ?? 0) > 20_000;
            return (
              <textarea
                {...props}
                rows={long ? 10 : f.kind === "textarea" ? 5 : 4}
                defaultValue={value}
                required={f.required}
                className={`input ${f.kind === "json" || long ? "font-mono text-xs" : ""}`}
              />
            );
          }
        }
      }}
    </Field>
  );
}
