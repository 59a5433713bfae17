// Draws the fields schema-form.ts made. Every control has a label, its description and error are tied to it by
// aria-describedby, and required ones say so (a visible star, and aria-required for screen readers).
import type { ComponentChild } from "preact";
import { useContext } from "preact/hooks";
import { Lang } from "../session.ts";
import type { Field, Values } from "./schema-form.ts";

export interface FormState {
  values: Values;
  errors: Record<string, string>;
  set(name: string, value: string | boolean): void;
  /** Ids are per agent: two forms never share one. */
  idPrefix: string;
  disabled: boolean;
}

export const fieldId = (prefix: string, name: string) => `${prefix}-${name.replace(/[^\w-]/g, "-")}`;

export function Fields({ fields, form }: { fields: Field[]; form: FormState }) {
  return (
    <>
      {fields.map((f) => (
        <FieldView key={f.name} field={f} form={form} />
      ))}
    </>
  );
}

function FieldView({ field: f, form }: { field: Field; form: FormState }) {
  const s = useContext(Lang);
  if (f.kind === "group") {
    return (
      <fieldset class="group">
        <legend>{f.label}</legend>
        {f.description && <p class="desc">{f.description}</p>}
        <Fields fields={f.fields} form={form} />
      </fieldset>
    );
  }
  const id = fieldId(form.idPrefix, f.name);
  const error = form.errors[f.name];
  const hint = f.kind === "list" ? s.onePerLine : undefined;
  const described = [f.description || hint ? `${id}-desc` : "", error ? `${id}-err` : ""].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    name: f.name,
    disabled: form.disabled,
    "aria-describedby": described,
    "aria-invalid": error ? true : undefined,
    "aria-required": f.required || undefined,
  };
  const value = form.values[f.name];
  const text = typeof value === "string" ? value : "";
  const onText = (e: { currentTarget: { value: string } }) => form.set(f.name, e.currentTarget.value);

  const label = (
    <label for={id}>
      {f.label}
      {f.required && (
        <span class="req" aria-hidden="true">
          {" *"}
        </span>
      )}
    </label>
  );
  const notes = (
    <>
      {(f.description || hint) && (
        <p class="desc" id={`${id}-desc`}>
          {[f.description, hint].filter(Boolean).join(" · ")}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-err`}>
          {error}
        </p>
      )}
    </>
  );

  if (f.kind === "checkbox") {
    return (
      <div class="field check">
        <input type="checkbox" {...common} checked={value === true} onChange={(e) => form.set(f.name, e.currentTarget.checked)} />
        {label}
        {notes}
      </div>
    );
  }
  let control: ComponentChild;
  if (f.kind === "select") {
    control = (
      <select {...common} value={text} onChange={onText}>
        {!f.required && <option value="">—</option>}
        {f.options.map((o) => (
          <option key={o} value={o}>
            {o.replace(/[_-]+/g, " ")}
          </option>
        ))}
      </select>
    );
  } else if (f.kind === "textarea" || f.kind === "list" || f.kind === "json") {
    control = (
      <textarea {...common} rows={f.kind === "textarea" ? 5 : 3} maxLength={f.kind === "textarea" ? f.maxLength : undefined} value={text} onInput={onText} />
    );
  } else if (f.kind === "number") {
    control = (
      <input
        {...common}
        type="number"
        inputMode={f.integer ? "numeric" : "decimal"}
        min={f.minimum}
        max={f.maximum}
        step={f.integer ? 1 : "any"}
        value={text}
        onInput={onText}
      />
    );
  } else {
    control =
      f.kind === "email" ? (
        <input {...common} type="email" maxLength={f.maxLength} value={text} onInput={onText} />
      ) : (
        <input {...common} type="text" maxLength={f.maxLength} value={text} onInput={onText} />
      );
  }
  return (
    <div class="field">
      {label}
      {control}
      {notes}
    </div>
  );
}
