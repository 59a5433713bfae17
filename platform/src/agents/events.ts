import type { RunEvent } from "@bizbot/shared";
import type { Logger } from "pino";
import type { Bus } from "../redis/bus.ts";

const CHANNEL = "agent-runs:events";

/**
 * Every run's events, on every instance: a worker publishes them on the bus, and whichever instance holds a
 * listener (an SSE stream, a `?wait`) hands them on. One channel for all runs, subscribed once, and local listeners
 * by run id: the bus has no unsubscribe, and a channel per run would pile up in Redis.
 */
export class RunEvents {
  private readonly listeners = new Map<string, Set<(event: RunEvent) => void>>();

  constructor(
    private readonly bus: Bus,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    await this.bus.subscribe(CHANNEL, (message) => {
      let event: RunEvent;
      try {
        event = JSON.parse(message) as RunEvent;
      } catch {
        return;
      }
      const runId = "run" in event ? event.run.id : event.runId;
      for (const listener of this.listeners.get(runId) ?? []) listener(event);
    });
  }

  /** Fire and forget: a lost event costs a listener only latency (listeners also read the run itself). */
  publish(event: RunEvent): void {
    this.bus.publish(CHANNEL, JSON.stringify(event)).catch((error) => this.log.warn({ err: error }, "publishing a run event failed"));
  }

  /** Calls `listener` with each event of the run until the returned function is called. */
  listen(runId: string, listener: (event: RunEvent) => void): () => void {
    let set = this.listeners.get(runId);
    if (!set) this.listeners.set(runId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.listeners.get(runId) === set) this.listeners.delete(runId);
    };
  }
}
