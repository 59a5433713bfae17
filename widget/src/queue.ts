// The command queue behind `window.BizBot(...)`. Kept free of DOM access so it can be unit-tested in Node.
// No Array.prototype method is called here (index loops, index writes): a host page may have replaced them.

/** What lives on `window.BizBot`: a function, plus the queue while the loader is not running yet. */
export interface BizBotFunction {
  (...args: unknown[]): void;
  /** Calls made before the loader ran, by the snippet a host page may paste: `arguments` objects or arrays. */
  q?: ArrayLike<unknown>[];
  /** Set once the live dispatcher is installed, so a second copy of the script does not re-install. */
  loaded?: true;
}

/** Every command takes at most two arguments after its name (`on`, event, listener). */
export type Dispatch = (name: string, a?: unknown, b?: unknown) => void;

/** Runs queued commands in order. One failing command must not stop the rest, or a typo in the host page's first
 * call would silently disable the widget. */
export function replay(queue: ArrayLike<ArrayLike<unknown>>, dispatch: Dispatch, onError: (e: unknown) => void): void {
  for (let i = 0; i < queue.length; i++) run(queue[i]!, dispatch, onError);
}

function run(args: ArrayLike<unknown>, dispatch: Dispatch, onError: (e: unknown) => void): void {
  const name = args[0];
  if (typeof name !== "string") {
    onError(new TypeError("BizBot: a command name comes first"));
    return;
  }
  try {
    dispatch(name, args[1], args[2]);
  } catch (error) {
    onError(error);
  }
}

/**
 * Returns the live `BizBot` function and replays whatever `existing` queued. `existing` may be our own stub or a
 * host page's snippet whose queue holds `arguments` objects, hence ArrayLike.
 */
export function install(existing: { q?: ArrayLike<ArrayLike<unknown>> } | undefined, dispatch: Dispatch, onError: (e: unknown) => void): BizBotFunction {
  const live: BizBotFunction = (...args) => run(args, dispatch, onError);
  live.loaded = true;
  const pending = existing?.q ?? [];
  // Detach before replaying so a command that calls BizBot again is not replayed twice.
  if (existing) existing.q = [];
  replay(pending, dispatch, onError);
  return live;
}
