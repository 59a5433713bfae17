import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";

/**
 * Pub/sub between platform instances. Redis in production; in embedded mode there is one process, so an
 * in-process emitter is the whole bus.
 */
export interface Bus {
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, handler: (message: string) => void): Promise<void>;
  /** False while messages may be getting lost (subscriber disconnected): caches must not be trusted then. */
  isLive(): boolean;
  /** Called after a reconnect: messages sent while away are gone, so caches must drop what they hold. */
  onResync(handler: () => void): void;
  close(): Promise<void>;
}

export function createMemoryBus(): Bus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    publish: async (channel, message) => void emitter.emit(channel, message),
    subscribe: async (channel, handler) => void emitter.on(channel, handler),
    isLive: () => true,
    onResync: () => {},
    close: async () => void emitter.removeAllListeners(),
  };
}

export function createRedisBus(redis: Redis): Bus {
  // The subscriber queues its SUBSCRIBE commands until connected and re-subscribes after every reconnect.
  const subscriber = redis.duplicate({ lazyConnect: false, enableOfflineQueue: true, maxRetriesPerRequest: null });
  const handlers = new Map<string, Set<(message: string) => void>>();
  const resyncHandlers: Array<() => void> = [];
  let live = false;
  let everReady = false;

  subscriber.on("message", (channel: string, message: string) => {
    for (const handler of handlers.get(channel) ?? []) handler(message);
  });
  subscriber.on("ready", () => {
    live = true;
    if (everReady) for (const handler of resyncHandlers) handler();
    everReady = true;
  });
  for (const event of ["close", "end", "reconnecting"]) subscriber.on(event, () => void (live = false));
  subscriber.on("error", () => {});

  return {
    async publish(channel, message) {
      await redis.publish(channel, message);
    },
    async subscribe(channel, handler) {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await subscriber.subscribe(channel);
      }
      set.add(handler);
    },
    isLive: () => live,
    onResync: (handler) => void resyncHandlers.push(handler),
    async close() {
      subscriber.disconnect();
    },
  };
}
