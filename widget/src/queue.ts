// The command queue behind `window.BizBot(...)`. Kept free of DOM access so it can be
// unit-tested in Node; loader.ts wires it to the page.

export type Command = readonly unknown[];

/** What lives on `window.BizBot`: a function, plus the queue while the app is not ready. */
export interface BizBotFunction {
  (...args: unknown[]): void;
  q?: Command[];
  /** Set once the live dispatcher is installed, so a second copy of the script does not re-install. */
  loaded?: true;
}

export type Dispatch = (name: string, ...args: unknown[]) => void;

/** A stub that only records calls; the same shape as the inline snippet a host page may paste. */
export function createStub(): BizBotFunction {
  const stub: BizBotFunction = (...args) => {
    (stub.q ??= []).push(args);
  };
  stub.q = [];
  return stub;
}

/** Runs queued commands in order. One failing command must not stop the rest, or a typo in
 * the host page's first call would silently disable the widget. */
export function replay(queue: Iterable<ArrayLike<unknown>>, dispatch: Dispatch, onError: (e: unknown) => void): void {
  for (const entry of queue) {
    runCommand(Array.from(entry), dispatch, onError);
  }
}

function runCommand(args: unknown[], dispatch: Dispatch, onError: (e: unknown) => void): void {
  const [name, ...rest] = args;
  if (typeof name !== "string") {
    onError(new TypeError(`BizBot: the first argument must be a command name, got ${typeof name}`));
    return;
  }
  try {
    dispatch(name, ...rest);
  } catch (error) {
    onError(error);
  }
}

/**
 * Returns the live `BizBot` function and replays whatever `existing` queued. `existing` may be
 * our own stub or a host page's snippet whose queue holds `arguments` objects, hence ArrayLike.
 */
export function install(existing: { q?: ArrayLike<unknown>[] } | undefined, dispatch: Dispatch, onError: (e: unknown) => void): BizBotFunction {
  const live: BizBotFunction = (...args) => runCommand(args, dispatch, onError);
  live.loaded = true;
  const pending = existing?.q ?? [];
  // Detach before replaying so a command that calls BizBot again is not replayed twice.
  if (existing) existing.q = [];
  replay(pending, dispatch, onError);
  return live;
}
