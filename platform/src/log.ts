import { pino, type DestinationStream, type Logger } from "pino";

/** JSON lines to stdout by default; the CLI passes stderr so that stdout carries only its answer. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "platform" },
      // Secrets never reach the logs, whatever a caller passes.
      redact: { paths: ["*.password", "*.authorization", "*.token", "*.secret", "*.key"], censor: "[redacted]" },
    },
    destination,
  );
}
