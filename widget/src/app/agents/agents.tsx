// The agents view: the tenant's agents offered in the widget, each with its form, its free runs left, its run's
// progress and its result. When a visitor's free runs are used up, the tenant's call to action takes the place of
// the Run button (or, if the tenant pays for visitors' runs, the button stays).
import { useContext, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from "preact/hooks";
import { ApiError, asApiError, visitorText } from "../errors.ts";
import { stringify } from "../json.ts";
import { link, markdown, safeHref } from "../markdown.ts";
import { Lang, SessionContext } from "../session.ts";
import { fill } from "../strings.ts";
import type { WidgetAgent } from "../types.ts";
import { Fields, fieldId } from "./form.tsx";
import { mainText, Result } from "./result.tsx";
import { idle, runReducer } from "./run-state.ts";
import { fieldsOf, initialValues, toInput, validate, type Values } from "./schema-form.ts";

/** The visitor may not run it: free runs used up, and the tenant shows its call to action instead of paying. */
const paywalled = (a: WidgetAgent) => a.afterTrial === "paywall" && a.trial.remaining <= 0;

interface AgentsProps {
  hidden: boolean;
  selected: string | null;
  onSelect(agentId: string | null): void;
}

export function Agents({ hidden, selected, onSelect }: AgentsProps) {
  const { api } = useContext(SessionContext);
  const s = useContext(Lang);
  const [agents, setAgents] = useState<WidgetAgent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  /** Focus returns to the list's heading when the visitor comes back from an agent, not when the tab is chosen. */
  const cameBack = useRef(false);

  const load = () => {
    setError(null);
    api.agents().then(
      (r) => setAgents(r.agents),
      (e) => setError(visitorText(asApiError(e), s)),
    );
  };
  useEffect(load, [api]);
  useEffect(() => {
    if (!selected && cameBack.current) heading.current?.focus();
    cameBack.current = false;
  }, [selected]);

  /** A trial run was taken (or refused as used up): the count shown goes down without asking the platform. */
  const used = (agentId: string, remaining?: number) =>
    setAgents((list) =>
      (list ?? []).map((a) => (a.id === agentId ? { ...a, trial: { ...a.trial, remaining: remaining ?? Math.max(0, a.trial.remaining - 1) } } : a)),
    );

  const agent = agents?.find((a) => a.id === selected);
  return (
    <div class="view agents" hidden={hidden}>
      {agent ? (
        <Runner
          key={agent.id}
          agent={agent}
          onBack={() => {
            cameBack.current = true;
            onSelect(null);
          }}
          onUsed={used}
        />
      ) : (
        <div class="scroll">
          <h3 ref={heading} tabIndex={-1}>
            {s.chooseAgent}
          </h3>
          {!agents && !error && <p class="hint">{s.loading}</p>}
          {error && <Failure text={error} onRetry={load} />}
          {agents?.length === 0 && <p class="hint">{s.noAgents}</p>}
          <ul class="agent-list">
            {agents?.map((a) => (
              <li key={a.id}>
                <button type="button" class="agent" onClick={() => onSelect(a.id)}>
                  <span class="name">{a.name}</span>
                  <span class="desc">{a.description}</span>
                  <Trial agent={a} />
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function Trial({ agent }: { agent: WidgetAgent }) {
  const s = useContext(Lang);
  if (paywalled(agent)) return <span class="trial">{s.noFreeRuns}</span>;
  if (agent.trial.freeRuns > 0 && agent.trial.remaining > 0) return <span class="trial">{fill(s.freeRuns, agent.trial.remaining, agent.trial.freeRuns)}</span>;
  return null;
}

export function Failure({ text, onRetry }: { text: string; onRetry?: () => void }) {
  const s = useContext(Lang);
  return (
    <div class="error" role="alert">
      <p>{text}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {s.retry}
        </button>
      )}
    </div>
  );
}

function Runner({ agent, onBack, onUsed }: { agent: WidgetAgent; onBack(): void; onUsed(agentId: string, remaining?: number): void }) {
  const { api, host, onMessage } = useContext(SessionContext);
  const s = useContext(Lang);
  const fields = useMemo(() => fieldsOf(agent.inputSchema), [agent]);
  const [values, setValues] = useState<Values>(() => initialValues(fields));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [state, dispatch] = useReducer(runReducer, idle);
  const [copied, setCopied] = useState("");
  const stop = useRef<(() => void) | undefined>(undefined);
  /**
   * False once the runner is gone (the visitor went back, or `BizBot('shutdown')` reset the panel): a run's start
   * that answers later then opens no stream that nothing would close, and changes nothing.
   */
  const alive = useRef(true);
  const heading = useRef<HTMLHeadingElement>(null);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const busy = state.phase === "starting" || state.phase === "running";
  const idPrefix = `bz-${agent.id}`;

  useEffect(() => heading.current?.focus(), []);
  // A layout effect: Preact 11 runs a passive effect's cleanup after the next paint, and a start answering in between
  // would still find the runner alive.
  useLayoutEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
      stop.current?.();
    };
  }, []);
  useEffect(() => {
    if (state.phase === "succeeded") resultHeading.current?.focus();
  }, [state.phase]);

  const finished = (runId: string) => onMessage({ role: "agent", agentId: agent.id, runId });

  async function run() {
    const found = validate(fields, values, s);
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      host.root.getElementById(fieldId(idPrefix, first))?.focus();
      return;
    }
    setCopied("");
    dispatch({ type: "start" });
    try {
      const view = await api.runAgent(agent.id, toInput(fields, values));
      if (!alive.current) return;
      if (view.billing === "trial") onUsed(agent.id);
      dispatch({ type: "accepted", run: view });
      if (view.status === "succeeded") return finished(view.id);
      if (view.status === "failed") return;
      stop.current = api.runEvents(view.id, {
        onEvent(event) {
          dispatch(event);
          if (event.type === "succeeded") finished(event.run.id);
          return event.type === "succeeded" || event.type === "failed";
        },
        onError: (e) => dispatch({ type: "error", error: visitorText(e, s) }),
      });
    } catch (e) {
      if (!alive.current) return;
      const error = asApiError(e);
      // The free runs ran out (on another tab, say): the call to action takes the Run button's place.
      if (error.reason === "payment_required" && agent.afterTrial === "paywall") {
        onUsed(agent.id, 0);
        dispatch({ type: "reset" });
      } else {
        dispatch({ type: "error", error: visitorText(error, s) });
      }
    }
  }

  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(s.copied);
    } catch {
      setCopied(s.copyFailed);
    }
  };

  const cta = host.config.callToAction;
  const ctaHref = cta ? safeHref(cta.url) : undefined;
  const output = state.phase === "succeeded" ? state.run.output : undefined;
  const text = mainText(output);
  // Parsed once per text: the runner renders again at each event of the run, not only when the text grows.
  const streamedText = state.phase === "running" ? state.output : "";
  const streamed = useMemo(() => (streamedText ? markdown(streamedText) : null), [streamedText]);
  const form = { values, errors, idPrefix, disabled: busy, set: (name: string, value: string | boolean) => setValues((v) => ({ ...v, [name]: value })) };

  return (
    <div class="scroll runner">
      <button type="button" class="link back" onClick={onBack}>
        {s.back}
      </button>
      <h3 ref={heading} tabIndex={-1}>
        {agent.name}
      </h3>
      <p class="desc">{agent.description}</p>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy && !paywalled(agent)) void run();
        }}
      >
        <Fields fields={fields} form={form} />
        {Object.keys(errors).length > 0 && <p class="field-error">{s.checkForm}</p>}
        <p class="trial-line">
          <Trial agent={agent} />
        </p>
        {paywalled(agent) ? (
          cta && ctaHref ? (
            <p class="cta">{link(ctaHref, cta.label)}</p>
          ) : null
        ) : (
          <button type="submit" class="primary" disabled={busy}>
            {s.run}
          </button>
        )}
      </form>
      <div class="progress" role="status">
        {state.phase === "starting" && <p>{s.queued}</p>}
        {state.phase === "running" && (
          <>
            <p>{state.started ? s.running : s.queued}</p>
            {state.steps.length > 0 && (
              <ol class="steps">
                {state.steps.map((step, i) => (
                  <li key={i}>{fill(s.step, step)}</li>
                ))}
              </ol>
            )}
          </>
        )}
        {state.phase === "succeeded" && <p class="sr">{s.succeeded}</p>}
      </div>
      {streamed && (
        // Streamed text (a report as the model writes it): announced once complete, not at every word.
        <div class="md stream" aria-live="polite" aria-busy="true">
          {streamed}
        </div>
      )}
      {state.phase === "failed" && (
        <Failure
          text={fill(s.failed, state.run?.error ? visitorText(new ApiError(0, state.run.error.code, state.run.error.message), s) : state.error)}
          onRetry={() => void run()}
        />
      )}
      {state.phase === "succeeded" && (
        <section class="outcome">
          <h3 ref={resultHeading} tabIndex={-1}>
            {s.result}
          </h3>
          <Result output={output} />
          <div class="row">
            {text && (
              <button type="button" onClick={() => void copy(text)}>
                {s.copyText}
              </button>
            )}
            <button type="button" onClick={() => void copy(stringify(output, 2))}>
              {s.copyJson}
            </button>
            <button
              type="button"
              onClick={() => {
                // This button goes with the result: focus goes back to the agent's heading, not out of the panel.
                heading.current?.focus();
                dispatch({ type: "reset" });
              }}
            >
              {s.runAgain}
            </button>
          </div>
          <p class="copied" role="status">
            {copied}
          </p>
        </section>
      )}
    </div>
  );
}
