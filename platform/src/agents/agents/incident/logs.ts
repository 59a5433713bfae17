import { signatureOf } from "./signature.ts";
import { findTimestamp, type Stamp } from "./timestamps.ts";

/** Signatures the result lists, most frequent first. */
export const TOP_SIGNATURES = 10;

export interface SignatureCount {
  signature: string;
  count: number;
}

/** What the logs say, counted without the model. */
export interface LogSignals {
  /** Error-level lines; a Python traceback counts once, as its exception. */
  errorLines: number;
  /** The earliest and latest time among the error lines that carry one. */
  firstSeen: string | null;
  lastSeen: string | null;
  topErrors: SignatureCount[];
  /** HTTP responses the logs record (access logs, status fields), and how many of them were 5xx. */
  responses: number;
  serverErrors: number;
  /** Lines that mention a timeout, whatever their level. */
  timeouts: number;
}

/** How a line says it is an error. */
const ERROR_PATTERNS = [
  /\b(?:ERROR|ERR|FATAL|CRITICAL|CRIT|SEVERE|EMERG|ALERT|PANIC)\b/,
  // nginx and Apache error logs: [error], [crit]…
  /\[(?:error|err|fatal|crit|critical|alert|emerg)\]/i,
  // logfmt and JSON levels: level=error, "level":"fatal", "severity":"ERROR".
  /\b(?:level|severity|lvl|loglevel|levelname)"?\s*[:=]\s*"?(?:error|err|fatal|critical|crit|panic|emerg|alert)\b/i,
  // pino and bunyan's numeric levels: 50 is error, 60 fatal.
  /"level"\s*:\s*[56]0\b/,
  // Go's panic, Rust's error[E0308]:, CLI tools' "error: …".
  /^\s*(?:error|fatal|panic)(?:\[\w+\])?:/i,
  /\bpanic:/,
  // Exceptions by name: java.io.IOException: …, ValueError: …, Error: …, Exception in thread "main"…
  /\b(?:[A-Z][\w$]{0,80})?(?:Exception|Error)(?::|\s+in\s+thread\b|$)/,
  /\b(?:Unhandled|Uncaught)\b/i,
];

/** An HTTP status: in an access log's request line, or as a status field of a structured line. */
const STATUS_PATTERNS = [
  /"[A-Z]{3,7} [^"]* HTTP\/[\d.]+" ([1-5]\d\d)\b/,
  /["']?\b(?:status|status_code|statusCode|http_status|httpStatus|response_code)["']?\s*[:=]\s*["']?([1-5]\d\d)\b/,
];

/** "timeout", "timed out", TimeoutError, SocketTimeoutException, ETIMEDOUT…, but not "runtime output". */
const TIMEOUT = /(?:\b[Tt]|T)ime-?[Oo]uts?|\b[Tt]ime out\b|\b[Tt]im(?:ed|ing)[ -]out\b|TIME_?OUT|ETIMEDOUT|\b[Dd]eadline exceeded\b|DEADLINE_EXCEEDED/;
const TRACEBACK = /^\s*Traceback \(most recent call last\)/;

const statusOf = (line: string): number | null => {
  for (const pattern of STATUS_PATTERNS) {
    const m = pattern.exec(line);
    if (m) return Number(m[1]);
  }
  return null;
};

export const isErrorLine = (line: string) => ERROR_PATTERNS.some((p) => p.test(line)) || (statusOf(line) ?? 0) >= 500;

/**
 * Counts the error lines of `logs`, finds when they started and stopped, and groups them by signature, so that one
 * error repeated with different ids is one entry with its count.
 */
export function readLogs(logs: string | undefined): LogSignals {
  const signals: LogSignals = { errorLines: 0, firstSeen: null, lastSeen: null, topErrors: [], responses: 0, serverErrors: 0, timeouts: 0 };
  if (!logs) return signals;
  const counts = new Map<string, number>();
  let first: Stamp | null = null;
  let last: Stamp | null = null;
  const lines = logs.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    const status = statusOf(line);
    if (status !== null) {
      signals.responses++;
      if (status >= 500) signals.serverErrors++;
    }
    if (TIMEOUT.test(line)) signals.timeouts++;
    let signature: string;
    let found = findTimestamp(line);
    if (TRACEBACK.test(line)) {
      // The frames are indented; the first line that is not names the exception, which is what went wrong.
      let end = i + 1;
      while (end < lines.length && /^\s/.test(lines[end]!)) end++;
      const exception = lines[end]?.trim() ? lines[end]! : null;
      signature = signatureOf(exception ?? line);
      if (exception) {
        if (TIMEOUT.test(exception)) signals.timeouts++;
        found ??= findTimestamp(exception);
      }
      i = exception ? end : end - 1;
    } else if (isErrorLine(line)) {
      signature = signatureOf(line);
    } else {
      continue;
    }
    signals.errorLines++;
    counts.set(signature, (counts.get(signature) ?? 0) + 1);
    if (found) {
      if (!first || found.stamp.order < first.order) first = found.stamp;
      if (!last || found.stamp.order >= last.order) last = found.stamp;
    }
  }
  signals.firstSeen = first?.text ?? null;
  signals.lastSeen = last?.text ?? null;
  // Map order is first occurrence, and the sort is stable: equal counts stay in the order they appeared.
  signals.topErrors = [...counts]
    .map(([signature, count]) => ({ signature, count }))
    .sort((a, b) => b.count - a.count)
    .slice(0, TOP_SIGNATURES);
  return signals;
}
