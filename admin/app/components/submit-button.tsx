import type { ReactNode } from "react";
import { useNavigation } from "react-router";

interface SubmitButtonProps {
  children: ReactNode;
  /** Shown while this button's form is being sent. */
  pending?: ReactNode;
  /** The `intent` this button submits, when a form has several. */
  intent?: string;
  /** Other fields the sent form must carry for this button to show itself busy: tells apart one form per table row. */
  match?: Record<string, string>;
  variant?: "primary" | "secondary" | "danger";
  className?: string;
}

// Spelled out in full: Tailwind only generates the utilities whose names it finds written in the sources.
const variants = { primary: "btn-primary", secondary: "btn-secondary", danger: "btn-danger" };

/** A submit button that says it is working while its form is on the way; without JavaScript it is a plain button. */
export function SubmitButton({ children, pending, intent, match, variant = "primary", className = "" }: SubmitButtonProps) {
  const navigation = useNavigation();
  const busy =
    navigation.state === "submitting" &&
    (intent === undefined || navigation.formData?.get("intent") === intent) &&
    Object.entries(match ?? {}).every(([name, value]) => navigation.formData?.get(name) === value);
  return (
    <button type="submit" name={intent ? "intent" : undefined} value={intent} disabled={busy} aria-busy={busy} className={`${variants[variant]} ${className}`}>
      {busy ? (pending ?? "Working…") : children}
    </button>
  );
}
