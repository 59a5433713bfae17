import { type ReactNode, useId } from "react";

interface Choice {
  value: string;
  label: string;
  hint?: ReactNode;
}

/** A set of radio buttons under one legend; the choices sit side by side where there is room. */
export function ChoiceGroup({
  legend,
  name,
  choices,
  defaultValue,
  errors,
  disabled,
}: {
  legend: string;
  name: string;
  choices: Choice[];
  defaultValue: string;
  errors?: string[] | undefined;
  disabled?: boolean;
}) {
  const id = useId();
  const errorId = errors?.length ? `${id}-error` : undefined;
  return (
    <fieldset className="space-y-2" aria-describedby={errorId} disabled={disabled}>
      <legend className="text-sm font-medium">{legend}</legend>
      <div className="flex flex-wrap gap-2">
        {choices.map((choice) => (
          <label
            key={choice.value}
            className="flex min-w-36 flex-1 cursor-pointer items-start gap-2 rounded-md border border-gray-300 px-3 py-2 text-sm has-checked:border-indigo-600 has-checked:bg-indigo-50 dark:border-gray-700 dark:has-checked:border-indigo-400 dark:has-checked:bg-indigo-950"
          >
            <input type="radio" name={name} value={choice.value} defaultChecked={choice.value === defaultValue} className="mt-0.5 accent-indigo-600" />
            <span>
              <span className="block font-medium">{choice.label}</span>
              {choice.hint && <span className="muted block text-xs">{choice.hint}</span>}
            </span>
          </label>
        ))}
      </div>
      {errorId && (
        <p id={errorId} className="text-sm text-red-700 dark:text-red-400">
          {errors!.join("; ")}
        </p>
      )}
    </fieldset>
  );
}
