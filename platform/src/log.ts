import { AsyncLocalStorage } from "node:async_hooks";
import { pino, type DestinationStream, type Logger } from "pino";

/** The request being served, so every log line written while serving it carries its id. */
export const requestScope = new AsyncLocalStorage<{ requestId: string }>();

/** JSON lines to stdout by default; the CLI passes stderr so that stdout carries only its answer. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
    level,
    base: { service: "platform" },
    mixin: () => {
      const scope = requestScope.getStore();
      return scope ? { reqId: scope.requestId } : {};
    },
    // Secrets never reach the logs, whatever a caller passes.
      redact: { paths: ["*.password", "*.authorization", "*.token", "*.secret", "*.key"], censor: "[redacted]" },
    },
    destination,
  );
}
