import type { RunView } from "@bizbot/shared";
import { describe, expect, it } from "vitest";
import { idle, type RunAction, runReducer } from "./run-state.ts";

const view = (status: RunView["status"], output: unknown = null): RunView => ({
  id: "run_1",
  agentId: "ticket-resolver",
  status,
  output,
  creditsCharged: 0,
  cached: false,
  steps: [],
  billing: "trial",
  usage: { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, modelCalls: 0, costUsd: 0, durationMs: null },
  error: status === "failed" ? { code: "internal", message: "The model stopped" } : null,
  createdAt: "2026-01-01T00:00:00.000Z",
  finishedAt: null,
});
const run = (...actions: RunAction[]) => actions.reduce(runReducer, idle);

describe("runReducer", () => {
  it("follows a run from queued through steps and streamed output to its result", () => {
    const going = run(
      { type: "start" },
      { type: "accepted", run: view("queued") },
      { type: "queued", run: view("queued") },
      { type: "started", runId: "run_1", attempt: 1 },
      { type: "step", runId: "run_1", name: "Searching the knowledge base" },
      { type: "step", runId: "run_1", name: "Searching the knowledge base" },
      { type: "output", runId: "run_1", delta: "Dear " },
      { type: "output", runId: "run_1", delta: "customer" },
    );
    expect(going).toEqual({ phase: "running", runId: "run_1", started: true, steps: ["Searching the knowledge base"], output: "Dear customer" });
    expect(runReducer(going, { type: "succeeded", run: view("succeeded", { reply: "Hi" }) })).toMatchObject({
      phase: "succeeded",
      run: { output: { reply: "Hi" } },
    });
  });

  it("shows a cached answer at once, and failures with their message", () => {
    expect(run({ type: "start" }, { type: "accepted", run: view("succeeded", 1) })).toMatchObject({ phase: "succeeded" });
    expect(run({ type: "accepted", run: view("queued") }, { type: "failed", run: view("failed") })).toMatchObject({
      phase: "failed",
      error: "The model stopped",
    });
    expect(run({ type: "start" }, { type: "error", error: "Can't reach" })).toEqual({ phase: "failed", run: null, error: "Can't reach" });
    expect(run({ type: "start" }, { type: "reset" })).toEqual(idle);
  });

  it("shows the steps a run named before the widget began to listen", () => {
    const late = { ...view("running"), steps: ["Searching the knowledge base", "Drafting the reply"] };
    const state = run({ type: "start" }, { type: "queued", run: late });
    expect(state).toMatchObject({ phase: "running", started: true, steps: ["Searching the knowledge base", "Drafting the reply"] });
  });
});
