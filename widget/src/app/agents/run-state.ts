// One run as the panel shows it, as a reducer over the run's events (widget.runEvents): testable without a DOM.
import type { RunEvent, RunView } from "@bizbot/shared";

export type RunState =
  | { phase: "idle" }
  /** widget.runAgent is on its way. */
  | { phase: "starting" }
  | { phase: "running"; runId: string; started: boolean; steps: string[]; output: string }
  | { phase: "succeeded"; run: RunView }
  | { phase: "failed"; run: RunView | null; error: string };

export type RunAction = RunEvent | { type: "start" } | { type: "accepted"; run: RunView } | { type: "error"; error: string } | { type: "reset" };

export const idle: RunState = { phase: "idle" };

export function runReducer(state: RunState, action: RunAction): RunState {
  switch (action.type) {
    case "start":
      return { phase: "starting" };
    case "reset":
      return idle;
    case "accepted":
    case "queued": {
      const { run } = action;
      // A cached answer comes back finished from runAgent itself.
      if (run.status === "succeeded") return { phase: "succeeded", run };
      if (run.status === "failed") return { phase: "failed", run, error: run.error?.message ?? "" };
      // The run as it stands, for a listener that joins late: the steps it already named come with it.
      const steps = run.steps ?? [];
      if (state.phase === "running" && state.runId === run.id) {
        return { ...state, started: state.started || run.status === "running", steps: steps.length > state.steps.length ? steps : state.steps };
      }
      return { phase: "running", runId: run.id, started: run.status === "running", steps, output: "" };
    }
    case "started":
      return state.phase === "running" ? { ...state, started: true } : state;
    case "step":
      return state.phase === "running" && state.steps[state.steps.length - 1] !== action.name
        ? { ...state, started: true, steps: [...state.steps, action.name] }
        : state;
    case "output":
      return state.phase === "running" ? { ...state, started: true, output: state.output + action.delta } : state;
    case "succeeded":
      return { phase: "succeeded", run: action.run };
    case "failed":
      return { phase: "failed", run: action.run, error: action.run.error?.message ?? "" };
    case "error":
      return { phase: "failed", run: null, error: action.error };
  }
}
