import { type ReactNode, useId } from "react";

interface FieldProps {
  label: string;
  name: string;
  /** Errors the platform returned for this field (its path, such as `chat.webhookUrl`). */
  errors?: string[] | undefined;
  hint?: ReactNode;
  children?: (props: { id: string; name: string; "aria-invalid": boolean; "aria-describedby": string | undefined }) => ReactNode;
  type?: string;
  defaultValue?: string | number | undefined;
  required?: boolean;
  autoComplete?: string;
  placeholder?: string;
  multiline?: boolean;
  rows?: number;
  min?: number;
  max?: number;
}

/** A labelled input with its hint and its errors next to it, tied together for screen readers. */
export function Field({ label, name, errors, hint, children, multiline, rows, ...input }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const common = { id, name, "aria-invalid": Boolean(errors?.length), "aria-describedby": describedBy };
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
        {input.required && (
          <span aria-hidden="true" className="text-red-700 dark:text-red-400">
            {" "}
            *
          </span>
        )}
      </label>
      {children ? (
        children(common)
      ) : multiline ? (
        <textarea {...common} rows={rows ?? 4} className="input" defaultValue={input.defaultValue} required={input.required} placeholder={input.placeholder} />
      ) : (
        <input {...common} {...input} className="input" />
      )}
      {hint && (
        <p id={hintId} className="muted text-xs">
          {hint}
        </p>
      )}
      {errorId && (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-400">
          {errors!.join("; ")}
        </p>
      )}
    </div>
  );
}

/** The form's own error, when the platform refused it as a whole. */
export function FormError({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
      {message}
    </p>
  );
}
